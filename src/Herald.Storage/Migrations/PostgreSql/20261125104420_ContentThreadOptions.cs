using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ContentThreadOptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Contents written before thread options existed keep the default: numbered thread parts.
            migrationBuilder.AddColumn<bool>(
                name: "number_thread_parts",
                table: "contents",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "thread",
                table: "contents",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "number_thread_parts",
                table: "contents");

            migrationBuilder.DropColumn(
                name: "thread",
                table: "contents");
        }
    }
}
