// The start page: where a person or an administrator goes from here.
import { h, header } from "/assets/app.js";

header("Zelfregistratie");
document.querySelector("main").replaceChildren(
  h("h1", {}, "Zelfregistratie"),
  h("p", {}, "Via zelfregistratie vraagt u zelf een gebruikersrecht of een werkrelatie aan. Uw aanvraag gaat automatisch naar de lokale beheerder van uw organisatie."),
  h("ul", {},
    h("li", {}, h("a", { href: "/user/aanvragen" }, "Mijn aanvragen"), " — wat u aanvroeg en hoe ver het staat"),
    h("li", {}, h("a", { href: "/beheer" }, "Beheer"), " — voor lokale beheerders: aanvragen goed- of afkeuren, personen en hun rechten")),
  h("p", {}, "Om iets aan te vragen, volgt u de link die de toepassing u gaf."),
);
