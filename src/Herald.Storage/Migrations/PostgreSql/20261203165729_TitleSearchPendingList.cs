using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Herald.Storage.Migrations.PostgreSql
{
    /// <summary>
    /// The title search's trigram index (where pg_trgm was available) takes new titles into a pending list of up to
    /// 16 MB instead of PostgreSQL's 4 MB: a bulk schedule of thousands of contents then appends to the list instead of
    /// merging it into the index several times during the call, and (auto)vacuum merges it afterwards. A search reads
    /// the pending list too until then (docs/benchmarks.md, docs/dashboard.md).
    /// </summary>
    public partial class TitleSearchPendingList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX IF EXISTS ix_contents_title_trigram SET (gin_pending_list_limit = 16384);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER INDEX IF EXISTS ix_contents_title_trigram RESET (gin_pending_list_limit);");
        }
    }
}
