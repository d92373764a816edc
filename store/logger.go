package store

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// gormLogger logs slow queries and database errors with slog. Unlike gorm's own loggers it builds
// the SQL text only for a query it will log: rendering every statement with its parameters cost a
// third of an import's CPU. Statements are logged with their placeholders, never their values:
// the values are password hashes, tips' descriptions, reporters' contacts.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

// ParamsFilter drops a statement's bound values before gorm renders it for Trace (gorm's
// ParamsFilter interface), so that no value reaches the log.
func (l gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, msg, "args", args)
}

func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, msg, "args", args)
}

func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, msg, "args", args)
}

func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled):
		sql, rows := fc()
		// Constraint violations are answered as conflicts or invalid input: not worth a warning.
		if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrForeignKeyViolated) {
			l.log.DebugContext(ctx, "query refused", "err", err, "sql", sql)
			return
		}
		l.log.WarnContext(ctx, "query failed", "err", err, "sql", sql, "rows", rows, "ms", elapsed.Milliseconds())
	case elapsed > l.slow:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "sql", sql, "rows", rows, "ms", elapsed.Milliseconds())
	}
}
