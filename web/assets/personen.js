// /beheer/personen: the people of the organisations I administer ("Rechten beheren"): search, their
// grants, revoke with a reason, end a work relationship, grant a right ("Recht toekennen").
import { api, ApiError, announce, datum, GRANT_STATUS, h, header, me as whoAmI, signIn } from "/assets/app.js";
import { confirmWithReason } from "/assets/dialog.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const count = h("p", { class: "count", role: "status" });
const rows = h("tbody");
const paging = h("div", { class: "buttons" });
const granting = h("div");
let organization = null;
let search = "";
let cursors = [null];
let shown = [];

async function act(action, successTitle, ...successBody) {
  try {
    await action();
    await load(0);
    announce(messages, "success", successTitle, ...successBody);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    announce(messages, "error", error.problem.title || "Dat lukte niet.", error.problem.detail || "",
      ...(error.problem.errors || []).map((e) => e.message));
  }
}

async function revoke(person, grant) {
  const answer = await confirmWithReason({
    title: `${grant.right.name} van ${person.name} herroepen?`,
    text: `${person.name} verliest dit gebruikersrecht meteen en krijgt een mail met uw reden.`,
    confirm: "Herroepen", reasonLabel: "Reden", reasonRequired: true,
  });
  if (!answer) return;
  await act(() => api(`/api/grants/${encodeURIComponent(grant.id)}/revoke`, { method: "POST", body: answer }),
    `Het gebruikersrecht ${grant.right.name} van ${person.name} is herroepen.`, `${person.name} krijgt daarvan een mail.`);
}

async function end(person) {
  const answer = await confirmWithReason({
    title: `Werkrelatie van ${person.name} beëindigen?`,
    text: `Ook alle gebruikersrechten van ${person.name} voor deze organisatie vervallen meteen. ${person.name} krijgt een mail.`,
    confirm: "Werkrelatie beëindigen", reasonLabel: "Reden", reasonRequired: true,
  });
  if (!answer) return;
  await act(() => api(`/api/work-relationships/${encodeURIComponent(person.workRelationship.id)}/end`, { method: "POST", body: answer }),
    `De werkrelatie van ${person.name} is beëindigd.`);
}

function grantItem(person, grant) {
  return h("li", {},
    h("span", {}, grant.right.name, grant.context ? ` (${grant.context})` : "", ` — tot en met ${datum(grant.end)}`),
    grant.status !== "active" ? h("span", { class: "status" }, ` · ${GRANT_STATUS[grant.status] ?? grant.status}`) : "",
    " ",
    h("button", { type: "button", class: "secondary", onclick: () => revoke(person, grant) },
      "Herroepen", h("span", { class: "skip" }, ` (${grant.right.name} van ${person.name})`)));
}

const chosen = new Set();  // "Vergelijk meerdere personen": 2 to 5 of them
const compareButton = h("button", { type: "button", class: "secondary", disabled: true, onclick: () => {
  location.assign(`/beheer/vergelijken?${new URLSearchParams({ organisatie: organization.code, personen: [...chosen].join(",") })}`);
} }, "Vergelijk de gekozen personen");

function choose(person, checked) {
  if (checked) chosen.add(person.sub); else chosen.delete(person.sub);
  compareButton.disabled = chosen.size < 2 || chosen.size > 5;
  compareButton.textContent = `Vergelijk de gekozen personen (${chosen.size})`;
}

function row(person) {
  const relation = person.workRelationship;
  const box = h("input", { type: "checkbox", id: `kies-${person.sub}`, checked: chosen.has(person.sub),
    onchange: (event) => choose(person, event.target.checked) });
  return h("tr", {},
    h("td", { "data-label": "Naam" }, h("label", { for: `kies-${person.sub}` }, box, " ", person.name ?? person.sub)),
    h("td", { "data-label": "Werkrelatie" }, relation ? `Sinds ${datum(relation.since)}${relation.email ? ` · ${relation.email}` : ""}` : "—"),
    h("td", { "data-label": "Gebruikersrechten" },
      person.grants.length ? h("ul", { class: "grants" }, ...person.grants.map((g) => grantItem(person, g))) : "Geen"),
    h("td", { "data-label": "Acties" }, !relation ? ""
      : person.localAdmin
        // an administrator's work relationship cannot end while they administer the organisation
        ? h("p", { class: "status" }, `${person.name} is lokale beheerder van deze organisatie: `,
            "de werkrelatie kan pas eindigen als die rol weg is. ", h("a", { href: "/beheer/organisatie" }, "Naar Beheerders"))
        : h("button", { type: "button", class: "secondary", onclick: () => end(person) },
            "Werkrelatie beëindigen", h("span", { class: "skip" }, ` (${person.name})`))));
}

async function load(index) {
  const query = new URLSearchParams({ limit: "25", ...(search ? { q: search } : {}), ...(cursors[index] ? { cursor: cursors[index] } : {}) });
  const page = await api(`/api/organizations/${encodeURIComponent(organization.code)}/people?${query}`);
  cursors = cursors.slice(0, index + 1);
  if (page.nextCursor) cursors.push(page.nextCursor);
  shown = page.items;
  rows.replaceChildren(...page.items.map(row));
  const n = page.items.length;
  count.textContent = n === 0 ? (search ? `Niemand gevonden voor "${search}"` : "Nog niemand met een werkrelatie")
    : `${n} ${n === 1 ? "persoon" : "personen"}${page.nextCursor ? " op deze pagina" : ""}`;
  paging.replaceChildren(
    index > 0 ? h("button", { type: "button", class: "secondary", onclick: () => load(index - 1) }, "Vorige pagina") : "",
    page.nextCursor ? h("button", { type: "button", class: "secondary", onclick: () => load(index + 1) }, "Volgende pagina") : "",
  );
  await grantForm();
}

async function grantForm() {
  const { items: rights } = await api(`/api/organizations/${encodeURIComponent(organization.code)}/rights`);
  const people = shown.filter((p) => p.workRelationship);
  if (!people.length) return granting.replaceChildren();
  const contexts = h("div", { class: "field", hidden: true });
  const right = h("select", { id: "grant-right", name: "right", required: true,
    onchange: () => showContexts() },
  ...rights.map((r) => h("option", { value: r.code }, `${r.name} (${r.application.name})`)));
  function showContexts() {
    const chosen = rights.find((r) => r.code === right.value);
    contexts.hidden = !chosen?.contexts.length;
    contexts.replaceChildren(...(chosen?.contexts.length ? [
      h("label", { for: "grant-context", class: "required" }, "Context"),
      h("select", { id: "grant-context", name: "context" }, ...chosen.contexts.map((c) => h("option", { value: c }, c)))] : []));
  }
  showContexts();
  const form = h("form", { class: "panel", id: "recht-toekennen", novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      if (!data.endDate) delete data.endDate;
      const name = people.find((p) => p.sub === data.person)?.name ?? data.person;
      act(() => api(`/api/organizations/${encodeURIComponent(organization.code)}/grants`, { method: "POST", body: data }),
        `${name} heeft het gebruikersrecht gekregen.`, `${name} krijgt daarvan een mail.`);
    } },
  h("h2", {}, "Recht toekennen"),
  h("div", { class: "field" }, h("label", { for: "grant-person", class: "required" }, "Persoon"),
    h("p", { class: "hint", id: "grant-person-hint" }, "Iemand uit de lijst hierboven. Staat de persoon er niet bij? Zoek hem of haar eerst op."),
    h("select", { id: "grant-person", name: "person", required: true, "aria-describedby": "grant-person-hint" }, ...people.map((p) => h("option", { value: p.sub }, p.name ?? p.sub)))),
  h("div", { class: "field" }, h("label", { for: "grant-right", class: "required" }, "Gebruikersrecht"), right),
  contexts,
  h("div", { class: "field" }, h("label", { for: "grant-end" }, "Geldig tot en met"),
    h("p", { class: "hint", id: "grant-end-hint" }, "Leeg laten: de standaardduur van het recht."),
    h("input", { id: "grant-end", name: "endDate", type: "date", "aria-describedby": "grant-end-hint" })),
  h("div", { class: "buttons" }, h("button", { type: "submit" }, "Recht toekennen")));
  granting.replaceChildren(form);
}

function chooser(administers) {
  if (administers.length < 2) return "";
  return h("div", { class: "field" }, h("label", { for: "organisation" }, "Organisatie"),
    h("select", { id: "organisation", onchange: (event) => {
      organization = administers.find((a) => a.organization.code === event.target.value).organization;
      chosen.clear();
      choose({}, false);
      cursors = [null];
      load(0);
    } }, ...administers.map((a) => h("option", { value: a.organization.code, selected: a.organization.code === organization.code },
      `${a.organization.name} (${a.organization.code})`))));
}

async function start() {
  await signIn();
  await header("Personen");
  const me = await whoAmI();
  if (!me.administers.length) {
    main.replaceChildren(h("h1", {}, "Personen"), messages);
    announce(messages, "warning", "U bent geen lokale beheerder",
      "Alleen lokale beheerders van een organisatie zien hier wie er werkt en welke rechten ze hebben.");
    return;
  }
  // From the home's search or the organisations page: ?organisatie=&q= choose where and whom.
  const asked = new URLSearchParams(location.search);
  organization = (me.administers.find((a) => a.organization.code === asked.get("organisatie")) ?? me.administers[0]).organization;
  search = (asked.get("q") ?? "").trim();
  const box = h("input", { id: "search", type: "search", name: "q", autocomplete: "off", value: search });
  main.replaceChildren(
    h("h1", {}, "Personen"),
    h("p", { class: "intro" }, "Wie voor uw organisatie werkt, met de gebruikersrechten die ze hebben. Herroep een recht dat niet meer nodig is."),
    messages,
    chooser(me.administers),
    h("form", { role: "search", onsubmit: (event) => { event.preventDefault(); search = box.value.trim(); cursors = [null]; load(0); } },
      h("div", { class: "field" }, h("label", { for: "search" }, "Zoek een persoon op naam"), box),
      h("div", { class: "buttons" }, h("button", { type: "submit" }, "Zoeken"))),
    count,
    h("table", {},
      h("caption", {}, "Personen en hun gebruikersrechten"),
      h("thead", {}, h("tr", {}, ...["Naam", "Werkrelatie", "Gebruikersrechten", "Acties"].map((t) => h("th", { scope: "col" }, t)))),
      rows),
    paging,
    h("p", { class: "hint" }, "Vink 2 tot 5 personen aan om hun gebruikersrechten naast elkaar te zien."),
    h("div", { class: "buttons", id: "vergelijken" }, compareButton),
    granting,
  );
  await load(0);
}

start();
