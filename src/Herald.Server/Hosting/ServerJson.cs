using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Server.Hosting;

/// <summary>The API's JSON: camelCase (the web defaults), enums as their names, no nulls written.</summary>
internal static class ServerJson
{
    public static void Configure(JsonSerializerOptions json)
    {
        json.Converters.Add(new JsonStringEnumConverter());
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}
