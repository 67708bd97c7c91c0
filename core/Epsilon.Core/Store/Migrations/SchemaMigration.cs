namespace Epsilon.Core.Store.Migrations;

/// <summary>
/// One step of the store's schema, written for each database. Steps are only ever added, and each only adds (tables,
/// nullable columns, indexes), so the previous release's code keeps working on a schema one step ahead of it: gateways
/// of two releases share a store during a rolling upgrade.
/// </summary>
/// <param name="Version">Its number, from 1, without gaps.</param>
/// <param name="Name">What it adds, for the <c>schema_migrations</c> table and the logs.</param>
/// <param name="Sqlite">The step on SQLite.</param>
/// <param name="Postgres">The step on PostgreSQL.</param>
internal sealed record SchemaMigration(int Version, string Name, string Sqlite, string Postgres);
