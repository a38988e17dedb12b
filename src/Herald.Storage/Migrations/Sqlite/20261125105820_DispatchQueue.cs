using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DispatchQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_publications_due",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_publications_lease",
                table: "publications");

            migrationBuilder.CreateTable(
                name: "rate_limit_parks",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    parked_until = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_limit_parks", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "rate_limit_slots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    acquired_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    hold_until = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_limit_slots", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_publications_created",
                table: "publications",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_publications_due",
                table: "publications",
                column: "next_attempt_at",
                filter: "status IN ('Scheduled', 'RetryScheduled')");

            migrationBuilder.CreateIndex(
                name: "ix_publications_lease",
                table: "publications",
                column: "lease_expires_at",
                filter: "status = 'Publishing'");

            migrationBuilder.CreateIndex(
                name: "ix_rate_limit_slots_key",
                table: "rate_limit_slots",
                column: "key");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rate_limit_parks");

            migrationBuilder.DropTable(
                name: "rate_limit_slots");

            migrationBuilder.DropIndex(
                name: "ix_publications_created",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_publications_due",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_publications_lease",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "ix_publications_due",
                table: "publications",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_publications_lease",
                table: "publications",
                column: "lease_expires_at");
        }
    }
}
