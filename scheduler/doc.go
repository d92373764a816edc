// Package scheduler holds the planner (pure functions: programme, registry, history, teams,
// calendar and seed in; plan out) and the cron jobs that run it and keep its guarantees. It is
// tested and simulated without a database or a clock.
package scheduler
