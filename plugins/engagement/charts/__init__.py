"""Server-side SVG of the engagement plugin: the decision-maker circle map."""
