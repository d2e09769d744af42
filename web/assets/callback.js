// /auth/callback: finish signing in, then back to the page the person came from.
import { announce, completeSignIn } from "/assets/app.js";

completeSignIn().catch((error) => {
  const main = document.querySelector("main");
  main.replaceChildren();
  announce(main, "error", "Aanmelden mislukt", error.message);
});
