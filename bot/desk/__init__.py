"""The front-desk view for staff: bilingual chat, catalogue browsing, hand-over, handoff queue."""
