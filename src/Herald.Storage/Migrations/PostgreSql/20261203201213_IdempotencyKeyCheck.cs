using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <summary>
    /// A publication's idempotency key is <c>herald-</c> and its id: a check that it is made so keeps it unique through
    /// the primary key, in place of a unique index of its own that every insert also had to update (about 4% of a bulk
    /// schedule of 10,000 publications; docs/benchmarks.md). Every row Herald wrote already passes: a row whose key
    /// was written another way stops the migration with a message naming it, before anything changes. The check is
    /// added unvalidated, which checks new rows from then on; the next migration, <see cref="IdempotencyKeyValidated"/>,
    /// validates the rows already there. Dropping the index and adding the check wait for the transactions that are
    /// using <c>publications</c> and hold up its readers and writers meanwhile, for 10 s at most (the upgrade then
    /// stops, saying the table is in use): upgrade with the workers stopped.
    /// </summary>
    public partial class IdempotencyKeyCheck : Migration
    {
        internal const string Check = "idempotency_key = 'herald-' || replace(id::text, '-', '')";

        /// <summary>
        /// Stops the upgrade, naming a publication whose key is not made from its id. Run again before the validation:
        /// a transaction still open when this migration began could commit such a row after the first look.
        /// </summary>
        internal const string RefuseStrayKeys = $$"""
            DO $$
            DECLARE
                stray uuid;
            BEGIN
                SELECT id INTO stray FROM publications WHERE NOT ({{Check}}) LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION 'publication % has an idempotency key that is not ''herald-'' and its id without dashes; Herald writes every key so, and the migrations IdempotencyKeyCheck and IdempotencyKeyValidated check it. Correct or remove that row and start again.', stray;
                END IF;
            END $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Waiting for the table holds up every reader and writer queued behind: give up after a while and say why.
            migrationBuilder.Sql("SET LOCAL lock_timeout = '10s';");
            migrationBuilder.Sql(RefuseStrayKeys);

            migrationBuilder.DropIndex(
                name: "IX_publications_idempotency_key",
                table: "publications");

            migrationBuilder.Sql(
                $"ALTER TABLE publications ADD CONSTRAINT ck_publications_idempotency_key CHECK ({Check}) NOT VALID;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_publications_idempotency_key",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "IX_publications_idempotency_key",
                table: "publications",
                column: "idempotency_key",
                unique: true);
        }
    }
}
