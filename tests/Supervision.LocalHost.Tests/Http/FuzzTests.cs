using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Http;
using Supervision.LocalHost.Tests.Engagements;
using Supervision.Portfolio;
using Supervision.Storage;
using Supervision.Testing;
using Xunit.Abstractions;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>
/// The attack run's fuzzing, kept: a few hundred deterministic malformed requests (fixed seed) against every
/// state-changing route of the OpenAPI document, most of them aimed at one real engagement so that a partial write
/// would show. None may answer 5xx, every API refusal is problem details with a title, and afterwards the engagement,
/// its trail and its rows (and every other row) are exactly as they were. The class has an Azurite of its own: it
/// compares whole tables.
/// </summary>
public sealed partial class FuzzTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Seed = 12_493;

    private static readonly string[] NotJson =
    [
        "{", "}", "not json", "<engagement/>", "{\"a\":}", "{'single':'quotes'}", "[1,2,", "\"unterminated", "{\"a\":1}{\"b\":2}",
        "nul", "tru", "0x1F", "NaN", "{\"a\":1,}", "// comment\n{}", "\uFEFF", " \r\n\t ",
    ];

    private static readonly string[] WrongShapes = ["[]", "\"a string\"", "42", "null", "true", "[{}]", "{}", "-1", "1e400"];

    private static readonly string[] BadDates = ["2027-02-30", "2027-13-01", "0000-00-00", "27-1-1", "2027-01-01T25:00:00Z", "", "yesterday", "2027/01/15", "+275760-09-13"];

    private static readonly string[] UnknownEnums = ["teleportation", "ONLINETRANSFER", "onlineTransfer ", "0", "-1", "null", "Monthly\u0000", "encryptedtransfer"];

    private static readonly string[] ControlStrings = ["Evil\r\nBcc: victim@example.com", "nul\u0000byte", "line\nfeed", "\u0000", "\r", "bell\u0007", "\u202Eright-to-left"];

    private static readonly string[] BadContentTypes =
    [
        "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1",
        "application/octet-stream", "json", "application/json; charset=utf-16",
    ];

    /// <summary>
    /// Wrong content types for the staff pages' forms. Not a malformed multipart body: that one answers 500 today (see
    /// <see cref="MalformedMultipartFormPost_IsRefusedWith4xx"/>).
    /// </summary>
    private static readonly string[] FormContentTypes = [.. BadContentTypes.Where(type => !type.StartsWith("multipart/", StringComparison.Ordinal))];

    /// <summary>Idempotency keys the API must refuse: empty, too long, with a character that is not printable ASCII.</summary>
    private static readonly string[] BadIdempotencyKeys = ["", new('k', 129), new('k', 4000), "a\tb", "key\u007F"];

    /// <summary>Engagement (and other) ids that are no ids: malformed, too long, with characters that mean something in a URL or a table key.</summary>
    private static readonly string[] BadIds =
    [
        "abc", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0", "0123456789ABCDEF0123456789ABCDEF", "g123456789abcdef0123456789abcdef",
        "a%2Fb", "a%2fb%2f..%2f..", "a#fragment", "a?x=1", "%00", "%0D%0A", "..", "%2E%2E", "a%5Cb", "'", "%27%20or%20%271%27%3D%271",
        "PartitionKey%20eq%20%27x%27", "%E2%80%AE", "%20", new('a', 3000), "%25", "a%23b", "a%3Fb", "%FF%FE",
    ];

    /// <summary>Signed links that are not: malformed, forged, too long, or with URL characters.</summary>
    private static readonly string[] BadTokens =
    [
        "v1", "v1.", "v1..", "v1.AAAA.BBBB", "v2.eyJhIjoxfQ.c2ln", "x", "v1.eyJlIjoiMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAifQ.AAAA",
        "v1.%2F.%2F", "v1.a%23b.c", "v1.a%3Fb.c", "v1.a b.c", "v1.!!!!.????", "v1.eyJ9.c2ln", new('v', 3000), "v1." + new string('A', 2500) + ".AAAA",
        "v1.AAAA.BBBB%00", "v1.AAAA%0D%0A.BBBB", "v1.AA==.BB==", "%E3%81%82", "..%2F..%2Fapi%2Fhealth",
    ];

    private readonly Dictionary<string, Dictionary<int, int>> sent = [];
    private readonly List<string> failures = [];
    private EngagementDriver driver = null!;
    private HttpClient staff = null!;

    public async Task InitializeAsync()
    {
        driver = await EngagementDriver.StartAsync(azurite);
        staff = driver.Host.As("fuzz-staff", "procurement,supervisor");
    }

    public async Task DisposeAsync()
    {
        staff.Dispose();
        await driver.DisposeAsync();
    }

    [Fact]
    public async Task FuzzedRequests_NeverAnswer5xx_AndWriteNothing()
    {
        string id = await driver.StartEngagementAsync();
        await driver.LinkOfMailAsync(id, EngagementDriver.DueDiligenceMail);
        Snapshot before = await SettledSnapshotAsync(id);
        Assert.Equal("selectionRequested", before.Stage);

        JsonObject document = (await staff.GetFromJsonAsync<JsonObject>("/" + OpenApiEndpoints.Route))!;
        var random = new Random(Seed);
        List<Fuzz> requests = [.. StaffRequests(document, id, random), .. VendorRequests(document, random), .. FormRequests(id, random)];

        foreach (Fuzz fuzz in requests)
            await SendAsync(fuzz);

        Report(requests.Count);
        Assert.True(requests.Count >= 300, $"only {requests.Count} requests were made");
        Assert.Empty(failures);
        Snapshot after = await SnapshotAsync(id);
        Assert.Equal(before.Engagement, after.Engagement);
        Assert.Equal(before.TrailCount, after.TrailCount);
        Assert.Equal(before.PartitionRows, after.PartitionRows);
        Assert.Equal(before.AllRows, after.AllRows);
    }

    /// <summary>
    /// A staff page's form posted as multipart/form-data whose body is not multipart: ASP.NET Core's form reader throws
    /// (IOException "Unexpected end of Stream"). Found by this fuzz run, when it answered 500; the form is now refused as
    /// a problem before anything reads it (FormPosts.ReadAsync, used by the staff forms and the local sign-in page).
    /// </summary>
    [Theory]
    [InlineData("/staff/engagements/{engagementId}/forms/termination")]
    [InlineData("/staff/engagements/{engagementId}/forms/supervisor-assignment")]
    [InlineData("/staff/onboarding")]
    public async Task MalformedMultipartFormPost_IsRefusedWith4xx(string route)
    {
        string id = await driver.StartEngagementAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, route.Replace("{engagementId}", id, StringComparison.Ordinal))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("supervisor=mallory")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");

        using HttpResponseMessage response = await staff.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    /// <summary>One fuzzed request: its route (the OpenAPI template), the path sent, and how to build it.</summary>
    private sealed record Fuzz(string Route, HttpMethod Method, string Path, string? Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, bool IsPage);

    private sealed record Snapshot(string Stage, string Engagement, int TrailCount, string PartitionRows, string AllRows);

    /// <summary>Every POST and PUT staff route with a JSON body: its example mangled in each way, bad ids, bad keys and content types.</summary>
    private static IEnumerable<Fuzz> StaffRequests(JsonObject document, string id, Random random)
    {
        foreach ((string template, string method, JsonObject operation) in Operations(document))
        {
            if (template.Contains("{token}", StringComparison.Ordinal) || template.StartsWith("/staff/", StringComparison.Ordinal))
                continue;
            JsonNode? example = operation["requestBody"]?["content"]?["application/json"]?["example"];
            bool takesKey = operation["parameters"]?.AsArray().Any(parameter => ((string?)parameter?["$ref"])?.EndsWith("/IdempotencyKey", StringComparison.Ordinal) == true) == true;
            var verb = new HttpMethod(method.ToUpperInvariant());
            string path = Fill(template, id, random);
            string valid = example?.ToJsonString() ?? "{}";
            Fuzz Json(string body, string contentType = "application/json", params KeyValuePair<string, string>[] headers) => new(template, verb, path, body, contentType, headers, IsPage: false);

            foreach (string body in Pick(random, NotJson, 3))
                yield return Json(body);
            foreach (string body in Pick(random, WrongShapes, 2))
                yield return Json(body);
            yield return Json(Encoding.Latin1.GetString([.. Enumerable.Range(0, 64).Select(_ => (byte)random.Next(256))]));
            yield return Json(valid, Pick(random, BadContentTypes, 1)[0]);
            yield return new(template, verb, path, valid, ContentType: null, [], IsPage: false);
            yield return Json(Nest(random.Next(65, 5000)));
            yield return Json(new string(' ', 70_000) + valid); // over the 64 KiB limit
            if (takesKey)
            {
                foreach (string key in Pick(random, BadIdempotencyKeys, 2))
                    yield return Json(valid, "application/json", new KeyValuePair<string, string>("Idempotency-Key", key));
            }

            if (example is JsonObject)
            {
                for (int i = 0; i < 6; i++)
                    yield return Json(Mutate(example, random));
            }

            if (template.Contains("{engagementId}", StringComparison.Ordinal))
            {
                foreach (string badId in Pick(random, BadIds, 2))
                    yield return new(template, verb, Fill(template, id, random).Replace(id, badId, StringComparison.Ordinal), valid, "application/json", [], IsPage: false);
            }
        }
    }

    /// <summary>The contractors' routes with links that are no links, and bodies that are no bodies.</summary>
    private static IEnumerable<Fuzz> VendorRequests(JsonObject document, Random random)
    {
        foreach ((string template, string method, JsonObject operation) in Operations(document).Where(route => route.Template.Contains("{token}", StringComparison.Ordinal)))
        {
            string valid = operation["requestBody"]?["content"]?["application/json"]?["example"]?.ToJsonString() ?? "{}";
            foreach (string token in Pick(random, BadTokens, 5))
            {
                string path = Fill(template, "unused", random).Replace("{token}", token, StringComparison.Ordinal);
                string body = random.Next(3) switch
                {
                    0 => valid,
                    1 => Pick(random, NotJson, 1)[0],
                    _ => operation["requestBody"]?["content"]?["application/json"]?["example"] is JsonObject example ? Mutate(example, random) : "{}",
                };
                yield return new(template, new HttpMethod(method.ToUpperInvariant()), path, body, "application/json", [], IsPage: false);
            }
        }

        foreach (string page in new[] { "/vendor/{token}", "/vendor/{token}/requests" })
        {
            foreach (string token in Pick(random, BadTokens, 6))
                yield return new("GET " + page, HttpMethod.Get, page.Replace("{token}", token, StringComparison.Ordinal), null, null, [], IsPage: true);
        }
    }

    /// <summary>The staff pages' form posts: no or forged anti-forgery token, unknown forms, bad ids, wrong content types.</summary>
    private static IEnumerable<Fuzz> FormRequests(string id, Random random)
    {
        const string forms = "/staff/engagements/{engagementId}/forms/{form}";
        string[] names = ["supervisor-assignment", "selection-decision", "termination", "close", "return-receipt", "teleport", "..%2F..%2Fapi", "%00", new('f', 2000)];
        string[] bodies =
        [
            "supervisor=mallory", "csrf=&supervisor=mallory", "csrf=forged&approve=true&reason=Looks%20fine%20to%20me",
            "csrf=v1.AAAA.BBBB&supervisor=%0D%0ABcc%3A%20x", "csrf=" + new string('c', 5000), "%%%&&&==", "csrf=a&csrf=b&idempotencyKey=%09",
        ];
        for (int i = 0; i < 20; i++)
        {
            string path = forms.Replace("{engagementId}", random.Next(4) == 0 ? Pick(random, BadIds, 1)[0] : id, StringComparison.Ordinal)
                .Replace("{form}", Pick(random, names, 1)[0], StringComparison.Ordinal);
            string contentType = random.Next(5) == 0 ? Pick(random, FormContentTypes, 1)[0] : "application/x-www-form-urlencoded";
            yield return new("POST " + forms, HttpMethod.Post, path, Pick(random, bodies, 1)[0], contentType, [], IsPage: true);
        }

        for (int i = 0; i < 6; i++)
        {
            string body = Pick(random, bodies, 1)[0] + "&contractor.name=%0D%0A&datasets%5B0%5D.recordCount=-1&plannedStart=2027-02-30";
            yield return new("POST /staff/onboarding", HttpMethod.Post, "/staff/onboarding", body, "application/x-www-form-urlencoded", [], IsPage: true);
        }
    }

    /// <summary>The example with one thing wrong: a wrong type, a null, a huge or control string, a bad number, date or enum, an unknown field.</summary>
    private static string Mutate(JsonNode example, Random random)
    {
        JsonNode body = example.DeepClone();
        List<JsonNode> nodes = [.. Descendants(body)];
        JsonNode target = nodes[random.Next(nodes.Count)];
        JsonNode? replacement = random.Next(10) switch
        {
            0 => null,
            1 => WrongType(target),
            2 => JsonValue.Create(new string('x', random.Next(2_001, 30_000))),
            3 => JsonValue.Create(Pick(random, ControlStrings, 1)[0]),
            4 => JsonNode.Parse(Pick(random, ["-1", "-2147483649", "99999999999999999999999", "1.5", "-0", "1e308", "0"], 1)[0]),
            5 => JsonValue.Create(Pick(random, BadDates, 1)[0]),
            6 => JsonValue.Create(Pick(random, UnknownEnums, 1)[0]),
            7 => JsonNode.Parse(Nest(random.Next(2, 40))),
            _ => target,
        };
        if (ReferenceEquals(replacement, target))
        {
            // An unknown field, at the root or in a nested object: the API refuses fields it does not know.
            JsonObject host = nodes.OfType<JsonObject>().ElementAt(random.Next(nodes.OfType<JsonObject>().Count()));
            host["unexpected" + random.Next(100).ToString(CultureInfo.InvariantCulture)] = "surprise";
            return body.ToJsonString();
        }

        Replace(body, target, replacement);
        return body.ToJsonString();
    }

    private static JsonNode? WrongType(JsonNode node) => node switch
    {
        JsonObject => new JsonArray(1, 2, 3),
        JsonArray => new JsonObject { ["0"] = "zero" },
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(12345),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => JsonValue.Create("true"),
        _ => JsonValue.Create("12"),
    };

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(property => property.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (JsonNode? child in children)
        {
            if (child is not null)
            {
                foreach (JsonNode descendant in Descendants(child))
                    yield return descendant;
            }
        }
    }

    private static void Replace(JsonNode root, JsonNode target, JsonNode? replacement)
    {
        if (ReferenceEquals(root, target))
        {
            // The root itself: the whole body becomes the replacement, wrapped so that it stays an object of the wrong content.
            ((JsonObject)root).Clear();
            ((JsonObject)root)["$"] = replacement;
            return;
        }

        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case JsonArray parent:
                parent[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private static string Nest(int depth) => new string('[', depth) + new string(']', depth);

    private static string[] Pick(Random random, string[] values, int count) => [.. Enumerable.Range(0, count).Select(_ => values[random.Next(values.Length)])];

    /// <summary>A template's path with the engagement's id, and a well-formed value for every other parameter.</summary>
    private static string Fill(string template, string id, Random random) => PathParameter().Replace(template, match => match.Groups["name"].Value switch
    {
        "engagementId" => id,
        "clause" => "LeakReporting",
        "period" => "1",
        "kind" => "preliminary",
        "step" => "recovery",
        "form" => "supervisor-assignment",
        "token" => "{token}",
        _ => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())),
    });

    private static IEnumerable<(string Template, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(operation => operation.Key is "post" or "put")
                .Select(operation => (path.Key, operation.Key, operation.Value!.AsObject())));

    private async Task SendAsync(Fuzz fuzz)
    {
        using var request = new HttpRequestMessage(fuzz.Method, fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(fuzz.Body));
            if (fuzz.ContentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
        }

        foreach ((string name, string value) in fuzz.Headers)
            request.Headers.TryAddWithoutValidation(name, value);

        using HttpResponseMessage response = await staff.SendAsync(request);
        int status = (int)response.StatusCode;
        string route = $"{fuzz.Method} {fuzz.Route.Split(' ')[^1]}";
        Dictionary<int, int> byStatus = sent.TryGetValue(route, out Dictionary<int, int>? counts) ? counts : sent[route] = [];
        byStatus[status] = byStatus.GetValueOrDefault(status) + 1;

        string body = await response.Content.ReadAsStringAsync();
        string what = $"{fuzz.Method} {Shorten(fuzz.Path)} [{Shorten(fuzz.ContentType ?? "no content type")}] {Shorten(fuzz.Body ?? string.Empty)}";
        if (status == 400 && fuzz.Path.Contains("%00", StringComparison.Ordinal) && body.Length == 0)
            return; // Kestrel itself refuses a path with an encoded NUL, before the app (and so without problem details).
        if (status >= 500)
            failures.Add($"{status} for {what}: {Shorten(body)}");
        else if (status is < 200 or >= 300 and < 400 && !IsRedirectOrPage(fuzz))
            failures.Add($"{status} for {what}");
        else if (status is >= 200 and < 300 && !fuzz.IsPage)
            failures.Add($"{status} (accepted) for {what}: {Shorten(body)}");
        else if (status is >= 400 and < 500 && !fuzz.IsPage && !IsProblem(response, body))
            failures.Add($"{status} without problem details for {what}: {response.Content.Headers.ContentType} {Shorten(body)}");
    }

    private static bool IsRedirectOrPage(Fuzz fuzz) => fuzz.IsPage;

    private static bool IsProblem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return false;
        try
        {
            return JsonNode.Parse(body)?["title"] is JsonValue title && title.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace((string?)title);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text)
    {
        string printable = ControlCharacter().Replace(text, match => $"\\u{(int)match.Value[0]:x4}");
        return printable.Length <= 120 ? printable : printable[..120] + $"…({printable.Length})";
    }

    private void Report(int total)
    {
        output.WriteLine($"{total} fuzzed requests (seed {Seed}), by route and status:");
        foreach ((string route, Dictionary<int, int> byStatus) in sent.OrderBy(route => route.Key, StringComparer.Ordinal))
            output.WriteLine($"  {route}: {string.Join(", ", byStatus.OrderBy(status => status.Key).Select(status => $"{status.Key}×{status.Value}"))}");
        foreach (string failure in failures)
            output.WriteLine("FAILED " + failure);
    }

    /// <summary>Waits until the engagement is at rest: the same snapshot twice in a row.</summary>
    private async Task<Snapshot> SettledSnapshotAsync(string id)
    {
        Snapshot? previous = null;
        return await Eventually.GetAsync(
            async () =>
            {
                // The portfolio follows the trail a moment later (it waits for the rest of a step's commits): at rest, it has caught up.
                if (await driver.Host.Services.GetRequiredService<PortfolioIndex>().IsBehindAsync(id, CancellationToken.None))
                    return null;
                Snapshot current = await SnapshotAsync(id);
                Snapshot? settled = current == previous ? current : null;
                previous = current;
                return settled;
            },
            EngagementDriver.Patience,
            "the engagement at rest");
    }

    private async Task<Snapshot> SnapshotAsync(string id)
    {
        JsonObject engagement = (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}"))!;
        JsonObject trail = (await driver.Supervisor.GetFromJsonAsync<JsonObject>($"/api/engagements/{id}/audit"))!;
        TableServiceClient tables = driver.Host.Services.GetRequiredService<TableServiceClient>();
        var partition = new List<string>();
        await foreach (TableEntity row in driver.Host.Engagements.QueryAsync<TableEntity>(row => row.PartitionKey == id))
            partition.Add($"{row.RowKey} {row.ETag}");
        var all = new List<string>();
        foreach (string table in TableNames.All)
        {
            await foreach (TableEntity row in tables.GetTableClient(table).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                all.Add($"{table}/{row.PartitionKey}/{row.RowKey} {row.ETag}");
        }

        return new(
            (string)engagement["stage"]!,
            engagement.ToJsonString(),
            trail["entries"]!.AsArray().Count,
            string.Join('\n', partition.Order(StringComparer.Ordinal)),
            string.Join('\n', all.Order(StringComparer.Ordinal)));
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"[\u0000-\u001F\u007F]")]
    private static partial Regex ControlCharacter();
}
