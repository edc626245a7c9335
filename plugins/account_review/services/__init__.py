"""What the exports show, gathered from the core's services (the numbers the API gives)."""
