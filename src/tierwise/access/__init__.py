"""Who may see and do what: users, their scope, and the workspace as one person sees it."""
