package store

// MigrationLockID exposes the migration lock of a schema to the tests, which hold it from
// another connection.
var MigrationLockID = migrationLockID
