"""A sync in stages: ports, targets, prefetch, current, plan, apply, state, report, run.

Each stage goes down to the next, never back up; targets, current and plan are pure.
"""
