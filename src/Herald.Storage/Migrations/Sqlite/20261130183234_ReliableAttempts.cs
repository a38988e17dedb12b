using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "uncertain_since",
                table: "publications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "fingerprint",
                table: "contents",
                type: "TEXT",
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
