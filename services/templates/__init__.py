"""Programme templates: the organisation's versioned paths to destination roles, and applying them."""
