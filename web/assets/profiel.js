// /user/profiel: "Mijn profiel" — my work relationships with their organisation's local administrators,
// my grants (give one up, renew one that expires), my requests, and everything kept about me.
import { announce, api, ApiError, datum, download, GRANT_STATUS, h, header, me as whoAmI, orgCode, signIn } from "/assets/app.js";
import { confirmWithReason } from "/assets/dialog.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const ROLES = { head_local_admin: "hoofd lokale beheerder", local_admin: "lokale beheerder" };

async function giveUp(grant) {
  const answer = await confirmWithReason({
    title: `Afstand doen van ${grant.right.name}?`,
    text: `U verliest dit gebruikersrecht voor ${grant.organization.name} meteen. De lokale beheerders krijgen een mail.`,
    confirm: "Afstand doen", reasonLabel: "Reden (niet verplicht)", reasonRequired: false,
  });
  if (!answer) return;
  try {
    await api(`/api/grants/${encodeURIComponent(grant.id)}/revoke`, { method: "POST", body: answer });
    await render();
    announce(messages, "success", `U deed afstand van ${grant.right.name}.`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    announce(messages, "error", error.problem.title || "Dat lukte niet.", error.problem.detail || "");
  }
}

async function exportData() {
  if (!(await download("/api/me/export", "mijn-gegevens.json"))) {
    announce(messages, "error", "Uw gegevens konden niet worden opgehaald.", "Probeer het later opnieuw.");
  }
}

function relationship(relation, organization) {
  const admins = organization?.localAdmins ?? [];
  return h("section", { class: "panel", "aria-labelledby": `wr-${relation.id}` },
    h("h3", { id: `wr-${relation.id}` }, `${relation.organization.name ?? relation.organization.code} (${orgCode(relation.organization.code)})`),
    h("p", {}, `Sinds ${datum(relation.since)}`, relation.email ? ` · ${relation.email}` : "", relation.phone ? ` · ${relation.phone}` : ""),
    admins.length ? h("ul", {}, ...admins.map((a) => h("li", {}, `${a.name}, ${ROLES[a.role] ?? a.role}`,
      a.reachable ?? a.hasEmail ? "" : " — niet bereikbaar per e-mail")))
      : h("p", {}, "Deze organisatie heeft nog geen lokale beheerder. ", h("a", { href: "/hulp/lokale-beheerder" }, "Hoe komt er een?")));
}

function renewal(grant, organization) {
  if (grant.status !== "expiring" || !organization) return "";
  const query = new URLSearchParams({ dg: organization.targetGroup, ec: grant.right.code, oc: grant.organization.code,
    ...(grant.application ? { an: String(grant.application.id) } : {}), ...(grant.context ? { ctx: grant.context } : {}) });
  return h("a", { class: "button secondary", href: `/user/aanvraag?${query}` }, "Verlengen", h("span", { class: "skip" }, ` (${grant.right.name})`));
}

function grantRow(grant, organization) {
  return h("tr", {},
    h("td", { "data-label": "Gebruikersrecht" }, grant.right.name, grant.context ? ` (${grant.context})` : ""),
    h("td", { "data-label": "Organisatie" }, grant.organization.name ?? grant.organization.code),
    h("td", { "data-label": "Geldig tot en met" }, datum(grant.end)),
    h("td", { "data-label": "Status" }, GRANT_STATUS[grant.status] ?? grant.status),
    h("td", { "data-label": "Acties" }, h("div", { class: "actions" }, renewal(grant, organization),
      h("button", { type: "button", class: "secondary", onclick: () => giveUp(grant) },
        "Afstand doen", h("span", { class: "skip" }, ` (${grant.right.name})`)))));
}

async function render({ fresh = true } = {}) {
  const me = await whoAmI({ fresh }); // the header read it already: not again on the first render
  const codes = [...new Set([...me.workRelationships, ...me.grants].map((x) => x.organization.code))];
  const organizations = Object.fromEntries(await Promise.all(codes.map(async (code) =>
    [code, await api(`/api/organizations/${encodeURIComponent(code)}`).catch(() => null)])));
  main.replaceChildren(
    h("h1", {}, "Mijn profiel"),
    messages,
    h("p", {}, `U bent aangemeld als ${me.name}. `, h("a", { href: "/user/aanvragen" }, "Bekijk mijn aanvragen"), "."),
    h("h2", {}, "Mijn werkrelaties"),
    ...(me.workRelationships.length ? me.workRelationships.map((r) => relationship(r, organizations[r.organization.code]))
      : [h("p", {}, "U heeft nog geen werkrelatie met een organisatie.")]),
    h("h2", {}, "Mijn gebruikersrechten"),
    me.grants.length ? h("table", {},
      h("caption", {}, "Gebruikersrechten die u nu heeft"),
      h("thead", {}, h("tr", {}, ...["Gebruikersrecht", "Organisatie", "Geldig tot en met", "Status", "Acties"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...me.grants.map((g) => grantRow(g, organizations[g.organization.code]))))
      : h("p", {}, "U heeft nog geen gebruikersrechten."),
    h("h2", {}, "Mijn gegevens"),
    h("p", {}, "Download alles wat Zelfregistratie over u bewaart: uw aanvragen, werkrelaties, gebruikersrechten (ook beëindigde) en wie wat over u wijzigde."),
    h("div", { class: "buttons" }, h("button", { type: "button", onclick: exportData }, "Download mijn gegevens")),
  );
}

async function start() {
  await signIn();
  await header("Mijn profiel");
  await render({ fresh: false });
}

start();
