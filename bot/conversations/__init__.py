"""What conversations leave behind for staff and administrators: handoffs, feedback, gaps."""
