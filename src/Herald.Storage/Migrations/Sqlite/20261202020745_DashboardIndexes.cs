using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Attempts made before the column existed take their publication's account.
            migrationBuilder.Sql("UPDATE attempts SET account_id = (SELECT p.account_id FROM publications p WHERE p.id = attempts.publication_id) WHERE EXISTS (SELECT 1 FROM publications p WHERE p.id = attempts.publication_id);");

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
