"""The review loop: what a run could not settle, and the reviewers' decisions (`mlw review`)."""
