using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PagingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_publications_created",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "ix_publications_created",
                table: "publications",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_publications_updated",
                table: "publications",
                columns: new[] { "updated_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_publications_created",
                table: "publications");

            migrationBuilder.DropIndex(
                name: "ix_publications_updated",
                table: "publications");

            migrationBuilder.CreateIndex(
                name: "ix_publications_created",
                table: "publications",
                column: "created_at");
        }
    }
}
