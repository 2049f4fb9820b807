"""The playbook: turning what tierwise knows about customers into sales and finance work."""
