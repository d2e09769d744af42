// /beheer/organisaties: the organisations I administer, with my role, whether they can receive
// requests, and their counts; each row leads to its people and its administrators.
// First screen: /api/me (the header) and /api/organizations.
import { api, h, header, signIn } from "/assets/app.js";

const ROLE = { head_local_admin: "Hoofd lokale beheerder", local_admin: "Lokale beheerder" };
const main = document.querySelector("main");

function row(organization) {
  const code = encodeURIComponent(organization.code);
  const { people, activeGrants, openTasks } = organization.counts;
  return h("tr", {},
    h("th", { scope: "row", "data-label": "Organisatie" }, organization.name ?? organization.code, h("br"),
      h("span", { class: "hint" }, organization.code)),
    h("td", { "data-label": "Uw rol" }, ROLE[organization.role] ?? organization.role),
    h("td", { "data-label": "Ontvangt aanvragen" }, organization.reachable ? "Ja"
      : h("span", { class: "status-failing" }, "Nee: geen beheerder met een werkend e-mailadres")),
    h("td", { "data-label": "Personen" }, String(people)),
    h("td", { "data-label": "Actieve rechten" }, String(activeGrants)),
    h("td", { "data-label": "Open taken" }, String(openTasks)),
    h("td", { "data-label": "Naar" }, h("div", { class: "actions" },
      h("a", { href: `/beheer/personen?organisatie=${code}` }, "Personen",
        h("span", { class: "skip" }, ` van ${organization.name ?? organization.code}`)),
      h("a", { href: `/beheer/organisatie?organisatie=${code}` }, "Beheerders",
        h("span", { class: "skip" }, ` van ${organization.name ?? organization.code}`)),
      h("a", { href: `/beheer/audit?organisatie=${code}` }, "Audit",
        h("span", { class: "skip" }, ` van ${organization.name ?? organization.code}`)))));
}

async function start() {
  await signIn();
  const [{ items }] = await Promise.all([api("/api/organizations"), header("Organisaties")]);
  if (!items.length) {
    main.replaceChildren(h("h1", {}, "Organisaties"),
      h("p", {}, "U beheert geen organisatie. ", h("a", { href: "/beheer" }, "Terug naar Beheer"), "."));
    return;
  }
  main.replaceChildren(
    h("h1", {}, "Organisaties"),
    h("p", { class: "intro" }, "De organisaties waarvoor u gebruikersrechten beheert. De aantallen lopen enkele seconden achter op wat er net veranderde."),
    h("table", {},
      h("caption", {}, `${items.length} ${items.length === 1 ? "organisatie" : "organisaties"}`),
      h("thead", {}, h("tr", {}, ...["Organisatie", "Uw rol", "Ontvangt aanvragen", "Personen", "Actieve rechten", "Open taken", "Naar"]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...items.map(row))),
    h("p", {}, h("a", { href: "/beheer" }, "Terug naar Beheer")));
}

start();
