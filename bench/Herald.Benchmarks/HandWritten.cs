using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>
/// What a user would write by hand for one publication: SELECT the row with its content, POST the article,
/// UPDATE the row. The plain-Hangfire baseline runs it as one job per publication; the floor runs it in a loop.
/// </summary>
public static class HandWritten
{
    private static NpgsqlDataSource? _dataSource;
    private static HttpClient? _http;
    private static Uri? _api;
    private static string _key = "";

    internal static void Configure(NpgsqlDataSource dataSource, HttpClient http, Uri api, string key)
    {
        _dataSource = dataSource;
        _http = http;
        _api = api;
        _key = key;
    }

    /// <summary>The Hangfire job (and the loop body).</summary>
    public static async Task PublishAsync(Guid id)
    {
        string title, body, canonical;
        await using (var select = _dataSource!.CreateCommand(
            "SELECT c.title, c.body, c.canonical_url FROM publications p JOIN contents c ON c.id = p.content_id WHERE p.id = @id"))
        {
            select.Parameters.AddWithValue("id", id);
            await using var reader = await select.ExecuteReaderAsync();
            await reader.ReadAsync();
            (title, body, canonical) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_api!, "articles"))
        {
            Content = JsonContent.Create(new { article = new { title, body_markdown = body, published = true, tags = new[] { "dotnet", "bench" }, canonical_url = canonical } }),
        };
        request.Headers.Add("api-key", _key);
        request.Headers.Add("Accept", "application/vnd.forem.api-v1+json");
        using var response = await _http!.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await using var update = _dataSource.CreateCommand(
            "UPDATE publications SET status = 'Published', external_id = @external, url = @url, published_at = now(), attempt_count = attempt_count + 1 WHERE id = @id");
        update.Parameters.AddWithValue("external", created.RootElement.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        update.Parameters.AddWithValue("url", created.RootElement.GetProperty("url").GetString()!);
        update.Parameters.AddWithValue("id", id);
        await update.ExecuteNonQueryAsync();
    }
}
