"""The bundled plugins. Each is its own package, found through the
``b2b_loyalty.plugins`` entry points in setup.cfg and enabled by the
``B2B_LOYALTY_PLUGINS`` setting; the core never imports them."""
