"""Languages, locale negotiation, gettext catalogs and Babel formatting."""
