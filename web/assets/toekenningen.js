// /beheer/toekenningen: "Toekenning opzoeken": who holds a right at one of my organisations, with the
// CSV download. First screen: /api/me (the header) and the rights of the first organisation.
import { announce, announceProblem, api, ApiError, datum, download, GRANT_STATUS, h, header, me as whoAmI, pageButtons, signIn } from "/assets/app.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const results = h("div", { id: "resultaten" });
const rightChoice = h("select", { id: "recht", name: "right", required: true });
const contextField = h("div", { class: "field" });
let rights = [];
let wanted = null;
let cursors = [null];

async function chooseOrganization(code) {
  ({ items: rights } = await api(`/api/organizations/${encodeURIComponent(code)}/rights`));
  rightChoice.replaceChildren(...rights.map((r) => h("option", { value: r.code }, `${r.name} (${r.application.name})`)));
  chooseRight();
}

function chooseRight() {
  const right = rights.find((r) => r.code === rightChoice.value);
  contextField.hidden = !right?.contexts.length;
  contextField.replaceChildren(...(right?.contexts.length ? [
    h("label", { for: "context" }, "Context"),
    h("select", { id: "context", name: "context" },
      h("option", { value: "" }, "Alle contexten"), ...right.contexts.map((c) => h("option", { value: c }, c)))] : []));
}

function query(extra = {}) {
  return new URLSearchParams(Object.fromEntries(Object.entries({ ...wanted, ...extra }).filter(([, v]) => v)));
}

function row(grant) {
  return h("tr", {},
    h("th", { scope: "row", "data-label": "Naam" }, grant.person.name ?? grant.person.sub),
    h("td", { "data-label": "Context" }, grant.context ?? "—"),
    h("td", { "data-label": "Begindatum" }, datum(grant.begin)),
    h("td", { "data-label": "Einddatum" }, datum(grant.end)),
    h("td", { "data-label": "Status" }, GRANT_STATUS[grant.status] ?? grant.status));
}

async function show(index) {
  try {
    const page = await api(`/api/grants?${query({ limit: "25", cursor: cursors[index] })}`);
    cursors = cursors.slice(0, index + 1);
    if (page.nextCursor) cursors.push(page.nextCursor);
    const n = page.items.length;
    const right = rights.find((r) => r.code === wanted.right);
    results.replaceChildren(
      h("p", { class: "count", role: "status" }, n === 0 ? `Niemand heeft ${right?.name ?? wanted.right}`
        : `${n} ${n === 1 ? "toekenning" : "toekenningen"}${page.nextCursor || index ? " op deze pagina" : ""}`),
      n ? h("table", {},
        h("caption", {}, `Wie ${right?.name ?? wanted.right} heeft`),
        h("thead", {}, h("tr", {}, ...["Naam", "Context", "Begindatum", "Einddatum", "Status"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, ...page.items.map(row))) : "",
      pageButtons(index, page.nextCursor, show, csv, n > 0));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    announceProblem(messages, error, "Opzoeken lukte niet.");
  }
}

async function csv() {
  if (!(await download(`/api/grants?${query({ format: "csv" })}`, "toekenningen.csv"))) {
    announce(messages, "error", "De lijst kon niet worden opgehaald.", "Kies een organisatie of een context om ze te verkleinen, of probeer het later opnieuw.");
  }
}

async function start() {
  await signIn();
  await header("Toekenning opzoeken");
  const me = await whoAmI();
  if (!me.administers.length) {
    main.replaceChildren(h("h1", {}, "Toekenning opzoeken"),
      h("p", {}, "U bent geen lokale beheerder van een organisatie. ", h("a", { href: "/beheer" }, "Terug naar Beheer"), "."));
    return;
  }
  const organization = h("select", { id: "organisatie", name: "organization", onchange: (event) => chooseOrganization(event.target.value) },
    ...me.administers.map((a) => h("option", { value: a.organization.code }, `${a.organization.name} (${a.organization.code})`)));
  rightChoice.addEventListener("change", chooseRight);
  const ended = h("input", { id: "beeindigd", type: "checkbox", name: "ended" });
  const form = h("form", { class: "panel", onsubmit: (event) => {
    event.preventDefault();
    const context = form.querySelector("#context")?.value || "";
    wanted = { right: rightChoice.value, organization: organization.value, context, status: ended.checked ? "all" : "" };
    cursors = [null];
    show(0);
  } },
  h("div", { class: "field" }, h("label", { for: "organisatie" }, "Organisatie"), organization),
  h("div", { class: "field" }, h("label", { for: "recht", class: "required" }, "Gebruikersrecht"), rightChoice),
  contextField,
  h("div", { class: "field" }, h("label", {}, ended, " Ook ingetrokken en verlopen toekenningen")),
  h("div", { class: "buttons" }, h("button", { type: "submit" }, "Opzoeken")));
  main.replaceChildren(
    h("h1", {}, "Toekenning opzoeken"),
    h("p", { class: "intro" }, "Wie heeft een gebruikersrecht in uw organisatie? Download de lijst als CSV om ze in Excel te openen."),
    messages, form, results);
  await chooseOrganization(organization.value);
}

start();
