// /user/aanvragen: the person's own requests, their status and decision, and cancelling pending ones.
import { announce, api, ApiError, datum, h, header, orgCode, signIn, STATUS } from "/assets/app.js";
import { confirmAction } from "/assets/dialog.js";

const main = document.querySelector("main");
const messages = h("div", { "aria-live": "polite" });
const rows = h("tbody");
const more = h("div", { class: "buttons" });
let cursor = null;

function row(request) {
  const what = request.right ? request.right.name : "Werkrelatie";
  const decision = request.decision
    ? `${request.decision.reason} (${request.decision.by.name}, ${datum(request.decision.at)})`
    : "—";
  const cancel = request.status === "pending"
    ? h("button", { type: "button", class: "secondary", onclick: (event) => cancelRequest(request, event.target) },
        "Trek in", h("span", { class: "skip" }, ` (uw aanvraag ${what})`))
    : null;
  return h("tr", { "data-id": request.id, id: `aanvraag-${request.id}`, tabindex: "-1" },
    h("td", { "data-label": "Aanvraag" }, what, request.context ? ` (${request.context})` : "",
      h("br"), h("span", { class: "number" }, `Nr. ${request.number}`)),
    h("td", { "data-label": "Organisatie" }, `${request.organization.name ?? ""} (${orgCode(request.organization.code)})`),
    h("td", { "data-label": "Ingediend op" }, datum(request.createdAt)),
    h("td", { "data-label": "Status", class: "status" }, STATUS[request.status] ?? request.status,
      request.grant ? ` tot ${datum(request.grant.end)}` : ""),
    h("td", { "data-label": "Reden beslissing" }, decision),
    h("td", { "data-label": "Actie" }, cancel));
}

async function cancelRequest(request, button) {
  const what = request.right ? request.right.name : "de werkrelatie";
  const sure = await confirmAction({
    title: "Aanvraag intrekken?",
    text: `U trekt uw aanvraag voor ${what} bij ${request.organization.name ?? request.organization.code} in. De lokale beheerders kunnen ze dan niet meer goedkeuren.`,
    confirm: "Ja, trek in", cancel: "Nee, behoud de aanvraag",
  });
  if (!sure) return;
  button.disabled = true;
  try {
    const cancelled = await api(`/api/requests/${encodeURIComponent(request.id)}/cancel`, { method: "POST" });
    button.closest("tr").replaceWith(row(cancelled));
    announce(messages, "success", "Uw aanvraag is ingetrokken.", "De lokale beheerders krijgen daarvan een mail.");
  } catch (error) {
    button.disabled = false;
    if (!(error instanceof ApiError)) throw error;
    announce(messages, "error", error.problem.title || "Intrekken lukte niet.", error.problem.detail || "");
  }
}

async function load() {
  const query = new URLSearchParams({ limit: "25", ...(cursor ? { cursor } : {}) });
  const page = await api(`/api/requests?${query}`);
  rows.append(...page.items.map(row));
  cursor = page.nextCursor;
  more.replaceChildren(cursor ? h("button", { type: "button", class: "secondary", onclick: load }, "Meer tonen") : "");
  if (!rows.children.length) {
    rows.append(h("tr", {}, h("td", { colspan: "6" }, "U heeft nog geen aanvragen ingediend.")));
  }
}

async function start() {
  await signIn();
  await header("Mijn aanvragen");
  main.replaceChildren(
    h("h1", {}, "Mijn aanvragen"),
    messages,
    h("table", {},
      h("caption", {}, "Uw aanvragen, nieuwste eerst"),
      h("thead", {}, h("tr", {}, ...["Aanvraag", "Organisatie", "Ingediend op", "Status", "Reden beslissing", "Actie"]
        .map((title) => h("th", { scope: "col" }, title)))),
      rows),
    more,
  );
  await load();
  if (location.hash.startsWith("#aanvraag-")) document.getElementById(location.hash.slice(1))?.focus(); // a refusal's link
}

start();
