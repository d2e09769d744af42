// /beheer/taken: "Mijn Taken" — open and closed tasks of every organisation the administrator manages.
import { announce, api, ApiError, datum, h, header, me, signIn, STATUS } from "/assets/app.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const count = h("p", { class: "count", role: "status" });
const rows = h("tbody");
const paging = h("div", { class: "buttons" });
const table = h("table", {},
  h("caption", {}, "Zelfregistratie-aanvragen voor uw organisaties"),
  h("thead", {}, h("tr", {}, ...["Aangevraagd door", "Datum", "Aanvraag", "Acties"].map((title) => h("th", { scope: "col" }, title)))),
  rows);
let status = new URLSearchParams(location.search).get("status") === "closed" ? "closed" : "open";
let cursors = [null];
let filters = {};

const OUTCOME = { approved: "Goedgekeurd", rejected: "Afgekeurd" };

function row(task) {
  const detail = `/beheer/taken/${encodeURIComponent(task.id)}`;
  const who = task.createdBy.name;
  const actions = task.status === "pending" && task.own
    ? [h("span", { class: "status own" }, "Uw eigen aanvraag: een andere beheerder beslist")]
    : task.status === "pending"
    ? [h("a", { class: "button", href: `${detail}#goedkeuren` }, "Keur goed", h("span", { class: "skip" }, ` (aanvraag van ${who})`)),
       h("a", { class: "button secondary", href: `${detail}#afkeuren` }, "Keur af", h("span", { class: "skip" }, ` (aanvraag van ${who})`))]
    : [h("span", { class: "status" }, task.decision
        ? `${OUTCOME[task.decision.outcome]} door ${task.decision.by.name} op ${datum(task.decision.at)}`
        : STATUS[task.status] ?? task.status)];
  return h("tr", {},
    h("td", { "data-label": "Aangevraagd door" }, who),
    h("td", { "data-label": "Datum" }, datum(task.createdAt)),
    h("td", { "data-label": "Aanvraag" }, task.renewal ? h("strong", { class: "renewal" }, "Verlenging: ") : "",
      task.right ? task.right.name : "Werkrelatie",
      ` — ${task.organization.name ?? task.organization.code}`, h("br"), h("span", { class: "number" }, `Nr. ${task.number}`)),
    h("td", { "data-label": "Acties" }, h("div", { class: "actions" }, ...actions,
      h("a", { href: detail }, "Details", h("span", { class: "skip" }, ` van de aanvraag van ${who}`)))));
}

async function load(index) {
  const query = new URLSearchParams({ status, limit: "25", ...filters, ...(cursors[index] ? { cursor: cursors[index] } : {}) });
  try {
    const page = await api(`/api/tasks?${query}`);
    cursors = cursors.slice(0, index + 1);
    if (page.nextCursor) cursors.push(page.nextCursor);
    rows.replaceChildren(...page.items.map(row));
    const n = page.items.length;
    table.hidden = n === 0; // an empty state says so instead of an empty table
    count.textContent = n === 0
      ? (status === "open" ? "U heeft momenteel geen openstaande taken. Nieuwe aanvragen krijgt u ook per mail." : "Er zijn nog geen afgehandelde taken.")
      : `${n} ${n === 1 ? "resultaat" : "resultaten"}${page.nextCursor ? " op deze pagina" : ""}`;
    paging.replaceChildren(
      index > 0 ? h("button", { type: "button", class: "secondary", onclick: () => load(index - 1) }, "Vorige pagina") : "",
      page.nextCursor ? h("button", { type: "button", class: "secondary", onclick: () => load(index + 1) }, "Volgende pagina") : "",
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "forbidden") {
      main.replaceChildren(h("h1", {}, "Mijn taken"), messages);
      announce(messages, "warning", "U bent geen lokale beheerder",
        "Alleen lokale beheerders van een organisatie zien hier de aanvragen voor hun organisatie.");
    } else {
      announce(messages, "error", error.problem.title || "De taken konden niet geladen worden.", error.problem.detail || "");
    }
  }
}

function tab(value, label) {
  return h("button", {
    type: "button", "aria-pressed": String(status === value),
    onclick: (event) => {
      status = value;
      for (const button of event.target.parentElement.children) button.setAttribute("aria-pressed", String(button === event.target));
      cursors = [null];
      load(0);
    },
  }, label);
}

/** The filter form at once, so that nothing moves once the tasks show; its rights fill in when read. */
function filterForm() {
  const select = h("select", { id: "filter-right", name: "right" }, h("option", { value: "" }, "Alle"));
  fillRights(select);
  const form = h("form", { class: "filters", role: "search", "aria-label": "Taken filteren",
    onsubmit: (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      filters = Object.fromEntries(Object.entries(data).filter(([, v]) => v.trim()));
      cursors = [null];
      load(0);
    } },
  h("div", { class: "field" }, h("label", { for: "filter-q" }, "Aanvrager"),
    h("input", { id: "filter-q", name: "q", type: "search", autocomplete: "off" })),
  h("div", { class: "field" }, h("label", { for: "filter-right" }, "Gebruikersrecht"), select),
  h("div", { class: "buttons" }, h("button", { type: "submit", class: "secondary" }, "Filter")));
  return form;
}

async function fillRights(select) {
  const { administers } = await me();
  const lists = await Promise.all(administers.map((a) =>
    api(`/api/organizations/${encodeURIComponent(a.organization.code)}/rights`).then((r) => r.items).catch(() => [])));
  const rights = [...new Map(lists.flat().map((r) => [r.code, r])).values()].sort((a, b) => a.name.localeCompare(b.name));
  select.append(...rights.map((r) => h("option", { value: r.code }, r.name)));
}

async function start() {
  await signIn();
  await header("Mijn taken");
  main.replaceChildren(
    h("h1", {}, "Mijn taken"),
    messages,
    h("div", { class: "tabs", role: "group", "aria-label": "Welke taken" }, tab("open", "Openstaand"), tab("closed", "Afgehandeld")),
    filterForm(), // a page of someone who administers nothing replaces it (`load`)
    count,
    table,
    paging,
  );
  await load(0);
}

start();
