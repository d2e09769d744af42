// /beheer: the local administrator's home ("HOOFDPAGINA"): a search over all my organisations, my open
// tasks, and the tiles of what I manage. Someone who administers nothing gets their own home.
// First screen: /api/me (the header) and /api/organizations.
import { announceProblem, api, ApiError, h, header, signIn } from "/assets/app.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const results = h("div", { id: "zoekresultaten" });

function personLink(person, organization) {
  const query = new URLSearchParams({ organisatie: organization.code, q: person.name });
  return h("a", { href: `/beheer/personen?${query}` }, organization.name ?? organization.code);
}

async function find(text, cursor = null) {
  const query = new URLSearchParams({ q: text, limit: "25", ...(cursor ? { cursor } : {}) });
  try {
    const page = await api(`/api/people?${query}`);
    const n = page.items.length;
    results.replaceChildren(
      h("p", { class: "count", role: "status" },
        n === 0 ? `Niemand gevonden voor "${text}"` : `${n} ${n === 1 ? "persoon" : "personen"} gevonden${page.nextCursor ? " op deze pagina" : ""}`),
      n ? h("ul", { class: "people" }, ...page.items.map((person) => h("li", {},
        h("span", { class: "name" }, person.name), " — ",
        ...person.organizations.flatMap((o, i) => [i ? ", " : "", personLink(person, o)])))) : "",
      page.nextCursor
        ? h("div", { class: "buttons" }, h("button", { type: "button", class: "secondary", onclick: () => find(text, page.nextCursor) }, "Volgende pagina"))
        : "");
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    announceProblem(messages, error, "Zoeken lukte niet.");
  }
}

function tile(title, ...links) {
  const id = `tegel-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return h("section", { class: "tile", "aria-labelledby": id },
    h("h2", { id }, title),
    h("ul", {}, ...links.map(([href, label, extra]) => h("li", {}, h("a", { href }, label), extra ?? ""))));
}

function ownHome() {
  main.replaceChildren(
    h("h1", {}, "Beheer"),
    messages,
    h("p", {}, "U bent geen lokale beheerder van een organisatie. Hier vindt u wat u zelf aanvroeg en wat u hebt."),
    h("ul", {},
      h("li", {}, h("a", { href: "/user/aanvragen" }, "Mijn aanvragen"), " — wat u aanvroeg en hoe ver het staat"),
      h("li", {}, h("a", { href: "/user/profiel" }, "Mijn profiel"), " — uw werkrelaties en gebruikersrechten")),
    h("p", {}, "Moet u lokale beheerder worden? ", h("a", { href: "/hulp/lokale-beheerder" }, "Zo wordt u lokale beheerder"), "."));
}

async function start() {
  await signIn();
  const [{ items: organizations }] = await Promise.all([api("/api/organizations"), header("Beheer")]);
  if (!organizations.length) return ownHome();
  const open = organizations.reduce((sum, o) => sum + o.counts.openTasks, 0);
  const box = h("input", { id: "zoek", type: "search", name: "q", autocomplete: "off", required: true });
  main.replaceChildren(
    h("h1", {}, "Beheer"),
    h("p", { class: "intro" }, organizations.length === 1
      ? `U beheert de gebruikersrechten van ${organizations[0].name}.`
      : `U beheert de gebruikersrechten van ${organizations.length} organisaties.`),
    messages,
    h("form", { role: "search", class: "panel", onsubmit: (event) => {
      event.preventDefault();
      const text = box.value.trim();
      if (text) find(text);
    } },
    h("h2", {}, "Persoon zoeken"),
    h("div", { class: "field" },
      h("label", { for: "zoek" }, "Naam"),
      h("p", { class: "hint", id: "zoek-hint" }, "Het begin van de voor- of achternaam, in al uw organisaties."),
      box),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Zoeken")),
    results),
    h("div", { class: "tiles" },
      tile("Mijn taken",
        ["/beheer/taken", "Mijn taken", ` — ${open === 0 ? "geen open aanvragen" : `${open} open ${open === 1 ? "aanvraag" : "aanvragen"}`}`],
        ["/beheer/personen#recht-toekennen", "Snel recht toekennen"]),
      tile("Personen",
        ["/beheer/personen", "Toon alle personen"],
        ["/beheer/personen#vergelijken", "Vergelijk meerdere personen"]),
      tile("Organisaties",
        ["/beheer/organisaties", "Bekijk de organisaties waarvoor u rechten kan beheren"],
        ["/beheer/organisatie", "Lokale beheerders aanstellen"]),
      tile("Rechten beheren",
        ["/beheer/toekenningen", "Toekenning opzoeken"],
        ["/beheer/audit", "Audit: wie wat deed"])));
  box.setAttribute("aria-describedby", "zoek-hint");
}

start();
