using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "account_id",
                table: "attempts",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Attempts made before the column existed take their publication's account.
            migrationBuilder.Sql("UPDATE attempts SET account_id = (SELECT p.account_id FROM publications p WHERE p.id = attempts.publication_id) WHERE EXISTS (SELECT 1 FROM publications p WHERE p.id = attempts.publication_id);");
            // No default once filled: a process of an older Herald still running against this database would otherwise
            // store its attempts under no account without a word; now its insert fails and says why.
            migrationBuilder.Sql("ALTER TABLE attempts ALTER COLUMN account_id DROP DEFAULT;");

            // The title search (lower(title) LIKE '%…%') reads a trigram index where pg_trgm can be had: it ships with
            // PostgreSQL and is a trusted extension, so a database owner may create it. Where it cannot be created (a
            // server without the contrib modules, a role without CREATE), the search scans the contents table instead.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    BEGIN
                        CREATE EXTENSION IF NOT EXISTS pg_trgm;
                    EXCEPTION WHEN OTHERS THEN
                        RAISE NOTICE 'pg_trgm is not available (%): the title search scans the contents table', SQLERRM;
                    END;
                    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                        CREATE INDEX IF NOT EXISTS ix_contents_title_trigram ON contents USING gin (lower(title) gin_trgm_ops);
                    END IF;
                END
                $$;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_publications_scheduled",
                table: "publications",
                columns: new[] { "scheduled_at", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_publications_status_created",
                table: "publications",
                columns: new[] { "status", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_publications_status_updated",
                table: "publications",
                columns: new[] { "status", "updated_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_attempts_account",
                table: "attempts",
                columns: new[] { "account_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_contents_title_trigram;");

            migrationBuilder.DropIndex(
                name: "ix_publications_scheduled",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_publications_status_created",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_publications_status_updated",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_attempts_account",
                table: "attempts");

            migrationBuilder.DropColumn(
                name: "account_id",
                table: "attempts");
        }
    }
}
