using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RepostGuardIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_publications_content_id",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "ix_publications_content_account",
                table: "publications",
                columns: new[] { "content_id", "account_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_publications_content_account",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "IX_publications_content_id",
                table: "publications",
                column: "content_id");
        }
    }
}
