// /beheer/organisatie: the administrators of my organisations — appoint, remove, change my e-mail;
// and for a legal representative: become head local administrator.
import { announce, api, ApiError, claims, h, header, me as whoAmI, orgCode, signIn } from "/assets/app.js";
import { confirmWithReason } from "/assets/dialog.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const ROLES = { head_local_admin: "Hoofd lokale beheerder", local_admin: "Lokale beheerder" };
// what SES reported of an address (docs/unreachable-administrators.md); shown to the organisation's own administrators only
const FAILING = { bounced: "werkt niet: mails komen niet aan", complained: "werkt niet: een mail werd als ongewenst gemeld" };
let me;

function contactFields(prefix, email = "", phone = "") {
  return [
    h("div", { class: "field" }, h("label", { for: `${prefix}-email`, class: "required" }, "Uw e-mailadres"),
      h("input", { id: `${prefix}-email`, name: "email", type: "email", required: true, autocomplete: "email", value: email })),
    h("div", { class: "field" }, h("label", { for: `${prefix}-phone`, class: "required" }, "Uw telefoonnummer (bv. +3212345678)"),
      h("input", { id: `${prefix}-phone`, name: "phone", type: "tel", required: true, autocomplete: "tel", value: phone })),
  ];
}

async function send(action, successTitle, ...successBody) {
  try {
    await action();
    await render();
    announce(messages, "success", successTitle, ...successBody);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    announce(messages, "error", error.problem.title || "Dat lukte niet.", error.problem.detail || "",
      ...(error.problem.errors || []).map((e) => e.message));
    return error;
  }
  return null;
}

function becomeHead(code) {
  const form = h("form", {
    class: "panel", novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      send(() => api(`/api/organizations/${encodeURIComponent(code)}/admins/self`, { method: "POST", body: data }),
        "U bent nu hoofd lokale beheerder.", "Uw organisatie kan vanaf nu zelfregistratie-aanvragen ontvangen.");
    },
  },
  h("h2", {}, `Word hoofd lokale beheerder van ${code}`),
  h("p", {}, "U bent de wettelijk vertegenwoordiger van deze organisatie. Stel uzelf aan als hoofd lokale beheerder, dan kan uw organisatie aanvragen ontvangen. U krijgt ze op dit e-mailadres."),
  ...contactFields("self"),
  h("div", { class: "buttons" }, h("button", { type: "submit" }, "Word hoofd lokale beheerder")));
  return form;
}

function removeButton(code, admin) {
  return h("button", {
    type: "button", class: "secondary",
    onclick: async () => {
      const sure = await confirmWithReason({
        title: `${admin.name} verwijderen als beheerder?`,
        text: `${admin.name} is dan geen ${ROLES[admin.role]?.toLowerCase() ?? "beheerder"} meer van deze organisatie en krijgt geen aanvragen meer te behandelen.`,
        confirm: `Verwijder ${admin.name}`,
      });
      if (!sure) return;
      const path = `/api/organizations/${encodeURIComponent(code)}/admins/${encodeURIComponent(admin.person)}`;
      const error = await send(() => api(path, { method: "DELETE" }), `${admin.name} is geen beheerder meer.`);
      if (error?.code === "last_reachable_admin") {
        messages.querySelector(".notice").append(h("div", { class: "buttons" },
          h("button", { type: "button", class: "danger",
            onclick: () => send(() => api(`${path}?confirm=true`, { method: "DELETE" }), `${admin.name} is geen beheerder meer.`,
              "Uw organisatie kan geen zelfregistratie-aanvragen meer ontvangen tot er een beheerder met e-mailadres is.") },
          `Toch ${admin.name} verwijderen`)));
      }
    },
  }, "Verwijder", h("span", { class: "skip" }, ` ${admin.name}`));
}

function appointForm(code, overview) {
  const current = new Set(overview.admins.map((a) => a.person));
  const candidates = overview.candidates.filter((c) => !current.has(c.person));
  if (!candidates.length) return h("p", {}, "Iedereen met een werkrelatie met deze organisatie is al beheerder.");
  const form = h("form", {
    class: "panel", novalidate: true,
    onsubmit: (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      send(() => api(`/api/organizations/${encodeURIComponent(code)}/admins`, { method: "POST", body: data }),
        "De beheerder is aangesteld.", "Hij of zij krijgt daarvan een mail.");
    },
  },
  h("h3", {}, "Een beheerder aanstellen"),
  h("div", { class: "field" }, h("label", { for: `person-${code}`, class: "required" }, "Persoon"),
    h("select", { id: `person-${code}`, name: "person", required: true },
      ...candidates.map((c) => h("option", { value: c.person }, `${c.name ?? c.person}${c.email ? ` (${c.email})` : ""}`)))),
  h("div", { class: "field" }, h("label", { for: `role-${code}` }, "Rol"),
    h("select", { id: `role-${code}`, name: "role" },
      h("option", { value: "local_admin" }, ROLES.local_admin), h("option", { value: "head_local_admin" }, ROLES.head_local_admin))),
  h("div", { class: "buttons" }, h("button", { type: "submit" }, "Stel aan")));
  return form;
}

function organisation(code, overview, myRole) {
  const head = myRole === "head_local_admin";
  const mine = overview.admins.find((a) => a.person === me.sub);
  return h("section", { class: "panel", "aria-labelledby": `org-${code}` },
    h("h2", { id: `org-${code}` }, `${overview.organization.name} (${orgCode(code)})`),
    h("p", {}, overview.canReceiveRequests ? "Deze organisatie kan zelfregistratie-aanvragen ontvangen."
      : overview.admins.some((a) => a.email)
        ? "Deze organisatie kan geen aanvragen ontvangen: de e-mailadressen van haar beheerders werken niet. Een beheerder die een werkend adres opslaat, maakt ze weer bereikbaar."
        : "Deze organisatie kan geen aanvragen ontvangen: er is geen beheerder met een e-mailadres."),
    mine && FAILING[mine.emailStatus] ? h("div", { class: "notice warning", role: "status" },
      h("h3", {}, `Uw e-mailadres ${mine.email} ${FAILING[mine.emailStatus]}.`),
      h("p", {}, "Sla hieronder een werkend adres op (of opnieuw hetzelfde, als het weer werkt).")) : null,
    h("table", {},
      h("caption", {}, "Lokale beheerders"),
      h("thead", {}, h("tr", {}, ...["Naam", "Rol", "E-mailadres", "Telefoon", "Actie"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...overview.admins.map((admin) => h("tr", {},
        h("td", { "data-label": "Naam" }, admin.name),
        h("td", { "data-label": "Rol" }, ROLES[admin.role] ?? admin.role),
        h("td", { "data-label": "E-mailadres" }, admin.email ?? "— (niet bereikbaar)",
          FAILING[admin.emailStatus] ? h("span", { class: "status-failing" }, ` — ${FAILING[admin.emailStatus]}`) : null),
        h("td", { "data-label": "Telefoon" }, admin.phone ?? "—"),
        h("td", { "data-label": "Actie" }, head ? removeButton(code, admin) : null))))),
    head ? appointForm(code, overview) : null,
    mine ? h("form", {
      class: "panel", novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const data = Object.fromEntries(new FormData(event.target));
        send(() => api(`/api/organizations/${encodeURIComponent(code)}/admins/self`, { method: "POST", body: data }),
          "Uw e-mailadres is opgeslagen.", "Bij een nieuw adres krijgt u een bevestiging op uw vorige adres.");
      },
    }, h("h3", {}, "Mijn e-mailadres wijzigen"), ...contactFields(`mine-${code}`, mine.email ?? "", mine.phone ?? ""),
      h("div", { class: "buttons" }, h("button", { type: "submit" }, "Wijzig mijn gegevens"))) : null,
  );
}

async function render({ fresh = true } = {}) {
  me = await whoAmI({ fresh }); // the header read it already: not again on the first render
  const sections = [];
  for (const { organization, role } of me.administers) {
    const overview = await api(`/api/organizations/${encodeURIComponent(organization.code)}/admins`);
    sections.push(organisation(organization.code, overview, role));
  }
  const token = claims(await signIn());
  const represented = String(token?.wv_orgcode ?? "").replace(/[[\]]/g, " ").split(/[\s,]+/).filter(Boolean);
  const heads = new Set(me.administers.filter((a) => a.role === "head_local_admin").map((a) => a.organization.code));
  const toBecome = represented.filter((code) => !heads.has(code)).map(becomeHead);
  main.replaceChildren(
    h("h1", {}, "Beheerders van mijn organisaties"),
    messages,
    ...toBecome,
    ...sections,
    sections.length || toBecome.length ? "" : h("p", {}, "U bent geen lokale beheerder. ",
      h("a", { href: "/hulp/lokale-beheerder" }, "Hoe stelt een organisatie een lokale beheerder aan?")),
  );
}

async function start() {
  await signIn();
  await header("Beheerders van mijn organisaties");
  await render({ fresh: false });
  // From the organisations page: ?organisatie= brings its section into view.
  const asked = new URLSearchParams(location.search).get("organisatie");
  if (asked) document.getElementById(`org-${asked}`)?.scrollIntoView();
}

start();
