// /beheer/vergelijken?organisatie=…&personen=a,b: "Vergelijk meerdere personen": people as columns, a
// row per right any of them holds there, the rows where they differ marked. First screen: /api/me (the
// header) and the comparison.
import { announce, api, ApiError, datum, h, header, signIn } from "/assets/app.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });

function cell(person, grant) {
  return h("td", { "data-label": person.name ?? person.sub }, grant ? `Tot en met ${datum(grant.end)}` : "—");
}

function row(people, found) {
  const held = people.filter((p) => found.grants[p.sub]).length;
  const differs = held !== people.length;
  return h("tr", { class: differs ? "differs" : null },
    h("th", { scope: "row" }, found.right.name ?? found.right.code, found.context ? ` (${found.context})` : "",
      differs ? h("span", { class: "difference" }, ` · verschilt (${held} van ${people.length})`) : ""),
    ...people.map((p) => cell(p, found.grants[p.sub])));
}

async function start() {
  await signIn();
  const asked = new URLSearchParams(location.search);
  const org = asked.get("organisatie") ?? "";
  const people = (asked.get("personen") ?? "").split(",").filter(Boolean);
  try {
    const [found] = await Promise.all([
      api(`/api/organizations/${encodeURIComponent(org)}/people/compare?${new URLSearchParams({ person: people.join(",") })}`),
      header("Personen vergelijken"),
    ]);
    const differing = found.rows.filter((r) => found.people.some((p) => !r.grants[p.sub])).length;
    main.replaceChildren(
      h("h1", {}, "Personen vergelijken"),
      h("p", { class: "intro" }, `De gebruikersrechten van ${found.people.map((p) => p.name ?? p.sub).join(", ")}. `,
        differing ? `${differing} van de ${found.rows.length} rechten verschillen; die zijn gemarkeerd.` : "Ze hebben dezelfde rechten."),
      messages,
      found.rows.length ? h("table", { class: "compare" },
        h("caption", {}, "Gebruikersrechten per persoon"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Gebruikersrecht"),
          ...found.people.map((p) => h("th", { scope: "col" }, p.name ?? p.sub)))),
        h("tbody", {}, ...found.rows.map((r) => row(found.people, r)))) : h("p", {}, "Geen van hen heeft hier een gebruikersrecht."),
      h("p", {}, h("a", { href: `/beheer/personen?${new URLSearchParams({ organisatie: org })}` }, "Terug naar Personen")));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await header("Personen vergelijken");
    main.replaceChildren(h("h1", {}, "Personen vergelijken"), messages);
    announce(messages, "error", error.problem.title || "Vergelijken lukte niet.", error.problem.detail || "",
      ...(error.problem.errors || []).map((e) => e.message),
      h("a", { href: "/beheer/personen" }, "Kies 2 tot 5 personen op de pagina Personen"));
  }
}

start();
