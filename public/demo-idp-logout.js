// The demo OpenID provider's logout page: posts its form at once, as FranceConnect does (no inline script under the CSP).
document.forms[0].submit();
