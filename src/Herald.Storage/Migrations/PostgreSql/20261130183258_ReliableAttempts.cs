using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReliableAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "recovery_count",
                table: "publications",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "uncertain_since",
                table: "publications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "fingerprint",
                table: "contents",
                type: "character varying(2100)",
                maxLength: 2100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_contents_fingerprint",
                table: "contents",
                column: "fingerprint");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_contents_fingerprint",
                table: "contents");

            migrationBuilder.DropColumn(
                name: "recovery_count",
                table: "publications");

            migrationBuilder.DropColumn(
                name: "uncertain_since",
                table: "publications");

            migrationBuilder.DropColumn(
                name: "fingerprint",
                table: "contents");
        }
    }
}
