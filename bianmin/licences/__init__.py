"""电子证照 — licence catalogue, issued licences (signed with the department's seal), verification, reuse."""
