// /beheer/audit: who did what and when at one of my organisations, newest first; filtered by action
// and, from a row, by the person it is about; the CSV download. First screen: /api/me (the header) and
// the first page of the trail.
import { announce, announceProblem, api, ApiError, download, h, header, me as whoAmI, pageButtons, signIn } from "/assets/app.js";

const ACTIONS = {
  request_approved: "Aanvraag goedgekeurd",
  request_rejected: "Aanvraag afgekeurd",
  grant_created: "Recht toegekend",
  grant_renewed: "Recht verlengd",
  grant_revoked: "Recht herroepen",
  grant_expired: "Recht verlopen",
  work_relationship_created: "Werkrelatie gestart",
  work_relationship_ended: "Werkrelatie beëindigd",
  admin_appointed: "Beheerder aangesteld",
  admin_removed: "Beheerder verwijderd",
  admin_email_changed: "E-mailadres beheerder gewijzigd",
  admin_unreachable: "Beheerder onbereikbaar",
};
const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const results = h("div", { id: "resultaten" });
const asked = new URLSearchParams(location.search);
let filter = { organization: "", action: asked.get("actie") ?? "", person: asked.get("persoon") ?? "", name: asked.get("naam") ?? "" };
let cursors = [null];

const when = (at) => new Date(at).toLocaleString("nl-BE", { timeZone: "Europe/Brussels", dateStyle: "short", timeStyle: "short" });

function query(extra = {}) {
  const values = { action: filter.action, person: filter.person, ...extra };
  return new URLSearchParams(Object.fromEntries(Object.entries(values).filter(([, v]) => v)));
}

function path(extra) {
  return `/api/organizations/${encodeURIComponent(filter.organization)}/audit?${query(extra)}`;
}

function row(entry) {
  const about = entry.person.name ?? entry.person.sub;
  return h("tr", {},
    h("td", { "data-label": "Tijdstip" }, when(entry.at)),
    h("td", { "data-label": "Actie" }, ACTIONS[entry.action] ?? entry.action),
    h("td", { "data-label": "Door" }, entry.by.name),
    h("td", { "data-label": "Over" }, filter.person ? about : h("button", { type: "button", class: "link",
      onclick: () => { filter = { ...filter, person: entry.person.sub, name: about }; cursors = [null]; show(0); } },
    about, h("span", { class: "skip" }, ": alleen deze persoon tonen"))),
    h("td", { "data-label": "Gebruikersrecht" }, entry.right ? (entry.right.name ?? entry.right.code) : "—"),
    h("td", { "data-label": "Reden" }, entry.reason ?? ""));
}

async function show(index) {
  try {
    const page = await api(path({ limit: "25", cursor: cursors[index] }));
    cursors = cursors.slice(0, index + 1);
    if (page.nextCursor) cursors.push(page.nextCursor);
    const n = page.items.length;
    results.replaceChildren(
      h("p", { class: "count", role: "status" }, n === 0 ? "Geen wijzigingen gevonden"
        : `${n} ${n === 1 ? "wijziging" : "wijzigingen"}${filter.name ? ` over ${filter.name}` : ""}${page.nextCursor || index ? " op deze pagina" : ""}`),
      filter.person ? h("div", { class: "buttons" }, h("button", { type: "button", class: "secondary",
        onclick: () => { filter = { ...filter, person: "", name: "" }; cursors = [null]; show(0); } }, `Toon iedereen, niet alleen ${filter.name || "deze persoon"}`)) : "",
      n ? h("table", {},
        h("caption", {}, "Wie wat deed, het nieuwste eerst"),
        h("thead", {}, h("tr", {}, ...["Tijdstip", "Actie", "Door", "Over", "Gebruikersrecht", "Reden"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, ...page.items.map(row))) : "",
      pageButtons(index, page.nextCursor, show, csv, n > 0));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    announceProblem(messages, error, "De audit kon niet worden opgehaald.");
  }
}

async function csv() {
  if (!(await download(path({ format: "csv" }), "audit.csv"))) {
    announce(messages, "error", "De audit kon niet worden opgehaald.", "Kies een actie of een persoon om ze te verkleinen, of probeer het later opnieuw.");
  }
}

async function start() {
  await signIn();
  await header("Audit");
  const me = await whoAmI();
  if (!me.administers.length) {
    main.replaceChildren(h("h1", {}, "Audit"),
      h("p", {}, "U bent geen lokale beheerder van een organisatie. ", h("a", { href: "/beheer" }, "Terug naar Beheer"), "."));
    return;
  }
  const chosen = me.administers.find((a) => a.organization.code === asked.get("organisatie")) ?? me.administers[0];
  filter.organization = chosen.organization.code;
  const organization = h("select", { id: "organisatie", onchange: (event) => { filter.organization = event.target.value; cursors = [null]; show(0); } },
    ...me.administers.map((a) => h("option", { value: a.organization.code, selected: a === chosen }, `${a.organization.name} (${a.organization.code})`)));
  const action = h("select", { id: "actie", onchange: (event) => { filter.action = event.target.value; cursors = [null]; show(0); } },
    h("option", { value: "" }, "Alle acties"),
    ...Object.entries(ACTIONS).map(([value, label]) => h("option", { value, selected: value === filter.action }, label)));
  main.replaceChildren(
    h("h1", {}, "Audit"),
    h("p", { class: "intro" }, "Wie wat deed in uw organisatie, en wanneer. Kies een naam in de lijst om alleen wat over die persoon gaat te zien."),
    messages,
    h("form", { class: "filters", onsubmit: (event) => event.preventDefault() },
      h("div", { class: "field" }, h("label", { for: "organisatie" }, "Organisatie"), organization),
      h("div", { class: "field" }, h("label", { for: "actie" }, "Actie"), action)),
    results);
  await show(0);
}

start();
