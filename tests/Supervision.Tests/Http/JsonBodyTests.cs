using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Engagements;
using Supervision.Http;

namespace Supervision.Tests.Http;

public sealed class JsonBodyTests
{
    private const string ValidJson = """
        {
          "contractor": { "name": "Acme", "corporateNumber": "7000012050002" },
          "contact": { "name": "Taro Yamada", "email": "taro@example.co.jp", "preferredLanguage": "ja" },
          "purpose": "Payroll processing",
          "datasets": [
            { "name": "Employees", "items": ["name", "address"], "recordCount": 1200, "isSensitive": true, "leakCausesSecondaryDamage": false },
            null
          ],
          "plannedStart": "2026-04-01",
          "plannedEnd": "2027-03-31"
        }
        """;

    private static DefaultHttpContext Request(string? contentType, byte[] body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = contentLength;
        return context;
    }

    private static DefaultHttpContext Request(string? contentType, string body) =>
        Request(contentType, Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetByteCount(body));

    private static Task<BodyResult<OnboardingDraft>> Read(DefaultHttpContext context, int maxBytes = JsonBody.DefaultMaxBytes) =>
        JsonBody.ReadAsync<OnboardingDraft>(context.Request, CancellationToken.None, maxBytes);

    private sealed record Answer(int StatusCode, string? ContentType, JsonElement Body);

    /// <summary>Runs a result the way the host would and captures the response.</summary>
    private static async Task<Answer> Execute(IResult? result)
    {
        Assert.NotNull(result);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProblemDetails();
        await using ServiceProvider provider = services.BuildServiceProvider();
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Response.Body = body;

        await result.ExecuteAsync(context);

        using JsonDocument document = JsonDocument.Parse(body.ToArray());
        return new Answer(context.Response.StatusCode, context.Response.ContentType, document.RootElement.Clone());
    }

    private static async Task<Answer> AssertProblem(BodyResult<OnboardingDraft> read, int statusCode)
    {
        Assert.Null(read.Value);
        Answer answer = await Execute(read.Problem);

        Assert.Equal(statusCode, answer.StatusCode);
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        Assert.Equal(statusCode, answer.Body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(answer.Body.GetProperty("title").GetString()));
        return answer;
    }

    /// <summary>A 400 whose <c>errors</c> name exactly <paramref name="field"/>, with at least one message.</summary>
    private static async Task<string> AssertInvalidField(BodyResult<OnboardingDraft> read, string field)
    {
        Answer answer = await AssertProblem(read, StatusCodes.Status400BadRequest);

        JsonProperty error = Assert.Single(answer.Body.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        JsonElement message = Assert.Single(error.Value.EnumerateArray());
        string? text = message.GetString();
        Assert.False(string.IsNullOrWhiteSpace(text));
        return text!;
    }

    /// <summary>A valid JSON object padded with trailing spaces to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] PaddedTo(int length)
    {
        byte[] json = Encoding.UTF8.GetBytes(ValidJson);
        Assert.True(json.Length < length);
        byte[] padded = new byte[length];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');
        return padded;
    }

    // ---- accepted bodies ----

    [Fact]
    public async Task ReadAsync_ReturnsTheValueAndNoProblem_WhenBodyIsValidJson()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", ValidJson));

        Assert.Null(read.Problem);
        OnboardingDraft draft = Assert.IsType<OnboardingDraft>(read.Value);
        Assert.Equal("Acme", draft.Contractor?.Name);
        Assert.Equal("7000012050002", draft.Contractor?.CorporateNumber);
        Assert.Equal("Taro Yamada", draft.Contact?.Name);
        Assert.Equal("taro@example.co.jp", draft.Contact?.Email);
        Assert.Equal("ja", draft.Contact?.PreferredLanguage);
        Assert.Equal("Payroll processing", draft.Purpose);
        Assert.Equal(new DateOnly(2026, 4, 1), draft.PlannedStart);
        Assert.Equal(new DateOnly(2027, 3, 31), draft.PlannedEnd);
        Assert.NotNull(draft.Datasets);
        Assert.Equal(2, draft.Datasets.Count);
        DatasetDraft dataset = Assert.IsType<DatasetDraft>(draft.Datasets[0]);
        Assert.Equal("Employees", dataset.Name);
        Assert.Equal(["name", "address"], dataset.Items);
        Assert.Equal(1200, dataset.RecordCount);
        Assert.True(dataset.IsSensitive);
        Assert.False(dataset.LeakCausesSecondaryDamage);
        Assert.Null(draft.Datasets[1]);
    }

    [Fact]
    public async Task ReadAsync_LeavesMissingFieldsNull_ForTheRulesToName()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", "{}"));

        Assert.Null(read.Problem);
        Assert.Equal(new OnboardingDraft(), read.Value);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/problem+json")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task ReadAsync_AcceptsTheBody_WhenContentTypeIsJsonInUtf8(string contentType)
    {
        BodyResult<OnboardingDraft> read = await Read(Request(contentType, """{"purpose":"p"}"""));

        Assert.Null(read.Problem);
        Assert.Equal("p", read.Value?.Purpose);
    }

    [Fact]
    public async Task ReadAsync_AcceptsTheBody_WhenItIsExactlyTheMaximumSize()
    {
        byte[] body = PaddedTo(JsonBody.DefaultMaxBytes);

        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body, body.Length));

        Assert.Null(read.Problem);
        Assert.Equal("Acme", read.Value?.Contractor?.Name);
    }

    [Fact]
    public async Task ReadAsync_AcceptsTheBody_WhenItIsExactlyTheMaximumSizeWithoutContentLength()
    {
        byte[] body = PaddedTo(JsonBody.DefaultMaxBytes);

        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body, contentLength: null));

        Assert.Null(read.Problem);
        Assert.Equal("Acme", read.Value?.Contractor?.Name);
    }

    [Fact]
    public async Task ReadAsync_ReadsTheWholeBody_WhenTheStreamYieldsItAFewBytesAtATime()
    {
        DefaultHttpContext context = Request("application/json", ValidJson);
        context.Request.Body = new TrickleStream(Encoding.UTF8.GetBytes(ValidJson), chunk: 3);

        BodyResult<OnboardingDraft> read = await Read(context);

        Assert.Null(read.Problem);
        Assert.Equal(new DateOnly(2027, 3, 31), read.Value?.PlannedEnd);
    }

    // ---- 415 ----

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("json")]
    public async Task ReadAsync_Answers415_WhenContentTypeIsNotUtf8Json(string contentType)
    {
        BodyResult<OnboardingDraft> read = await Read(Request(contentType, ValidJson));

        Answer answer = await AssertProblem(read, StatusCodes.Status415UnsupportedMediaType);
        Assert.Contains(contentType, answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Answers415_WhenContentTypeIsMissing()
    {
        BodyResult<OnboardingDraft> read = await Read(Request(null, ValidJson));

        Answer answer = await AssertProblem(read, StatusCodes.Status415UnsupportedMediaType);
        Assert.Contains("none", answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Answers415BeforeLookingAtTheSize_WhenContentTypeIsWrong()
    {
        byte[] body = new byte[JsonBody.DefaultMaxBytes + 1];

        BodyResult<OnboardingDraft> read = await Read(Request("text/plain", body, body.Length));

        await AssertProblem(read, StatusCodes.Status415UnsupportedMediaType);
    }

    // ---- 413 ----

    [Fact]
    public async Task ReadAsync_Answers413WithoutReadingTheBody_WhenContentLengthExceedsTheMaximum()
    {
        DefaultHttpContext context = Request("application/json", [], JsonBody.DefaultMaxBytes + 1);
        context.Request.Body = new UnreadableStream();

        BodyResult<OnboardingDraft> read = await Read(context);

        Answer answer = await AssertProblem(read, StatusCodes.Status413PayloadTooLarge);
        Assert.Contains(JsonBody.DefaultMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Answers413_WhenChunkedBodyWithoutContentLengthIsOneByteTooLarge()
    {
        byte[] body = PaddedTo(JsonBody.DefaultMaxBytes + 1);

        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body, contentLength: null));

        await AssertProblem(read, StatusCodes.Status413PayloadTooLarge);
    }

    [Fact]
    public async Task ReadAsync_Answers413_WhenBodyIsLargerThanItsContentLengthClaims()
    {
        byte[] body = PaddedTo(JsonBody.DefaultMaxBytes * 2);

        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body, contentLength: 100));

        await AssertProblem(read, StatusCodes.Status413PayloadTooLarge);
    }

    [Fact]
    public async Task ReadAsync_AppliesTheGivenMaximum_WhenOneIsPassed()
    {
        const string json = """{"purpose":"p"}""";
        int length = Encoding.UTF8.GetByteCount(json);

        BodyResult<OnboardingDraft> atLimit = await Read(Request("application/json", json), maxBytes: length);
        BodyResult<OnboardingDraft> overLimit = await Read(Request("application/json", Encoding.UTF8.GetBytes(json), null), maxBytes: length - 1);

        Assert.Null(atLimit.Problem);
        Assert.Equal("p", atLimit.Value?.Purpose);
        await AssertProblem(overLimit, StatusCodes.Status413PayloadTooLarge);
    }

    // ---- 400 ----

    [Fact]
    public async Task ReadAsync_Answers400NamingTheRoot_WhenBodyIsEmpty()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", [], 0));

        await AssertInvalidField(read, "$");
    }

    [Fact]
    public async Task ReadAsync_Answers400NamingTheRoot_WhenBodyIsEmptyWithoutContentLength()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", [], contentLength: null));

        await AssertInvalidField(read, "$");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{")]
    [InlineData("   ")]
    [InlineData("{\"purpose\":\"p\"} {}")] // two values
    [InlineData("{\"purpose\":\"p\",}")]
    public async Task ReadAsync_Answers400_WhenBodyIsNotOneJsonValue(string body)
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body));

        Answer answer = await AssertProblem(read, StatusCodes.Status400BadRequest);
        Assert.NotEmpty(answer.Body.GetProperty("errors").EnumerateObject());
    }

    [Fact]
    public async Task ReadAsync_Answers400NamingTheRoot_WhenBodyIsTheLiteralNull()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", "null"));

        await AssertInvalidField(read, "$");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("5")]
    [InlineData("\"text\"")]
    public async Task ReadAsync_Answers400NamingTheRoot_WhenBodyIsNotAnObject(string body)
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body));

        await AssertInvalidField(read, "$");
    }

    [Theory]
    [InlineData("""{"contractor":{"name":5}}""", "contractor.name")]
    [InlineData("""{"purpose":true}""", "purpose")]
    [InlineData("""{"plannedStart":"2026/04/01"}""", "plannedStart")]
    [InlineData("""{"datasets":[{"recordCount":"many"}]}""", "datasets[0].recordCount")]
    [InlineData("""{"datasets":[{"items":["a"]},{"isSensitive":"yes"}]}""", "datasets[1].isSensitive")]
    [InlineData("""{"datasets":{}}""", "datasets")]
    public async Task ReadAsync_Answers400NamingTheField_WhenAFieldHasTheWrongType(string body, string field)
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body));

        await AssertInvalidField(read, field);
    }

    [Fact]
    public async Task ReadAsync_Answers400NamingTheField_WhenATopLevelFieldIsUnknown()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", """{"foo":1}"""));

        await AssertInvalidField(read, "foo");
    }

    [Fact]
    public async Task ReadAsync_Answers400NamingTheField_WhenANestedFieldIsUnknown()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", """{"contact":{"name":"n","phone":"1"}}"""));

        await AssertInvalidField(read, "contact.phone");
    }

    /// <summary>A stream that hands out its content at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }

    /// <summary>A body that fails the test if anything reads it.</summary>
    private sealed class UnreadableStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("The body was read.");

        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("The body was read.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The body was read.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The body was read.");
    }

    [Fact]
    public async Task ReadAsync_IgnoresAUtf8ByteOrderMark_Rfc8259()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"purpose\":\"p\"}")];

        BodyResult<OnboardingDraft> read = await Read(Request("application/json", body, body.Length));

        Assert.Null(read.Problem);
        Assert.Equal("p", read.Value?.Purpose);
    }

    [Fact]
    public async Task ReadAsync_Answers400NamingTheField_WhenAFieldIsMiscased()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", "{\"Purpose\":\"p\"}"));

        await AssertInvalidField(read, "Purpose");
    }

    [Fact]
    public async Task ReadAsync_Answers400_WhenAFieldIsRepeated()
    {
        BodyResult<OnboardingDraft> read = await Read(Request("application/json", "{\"purpose\":\"a\",\"purpose\":\"b\"}"));

        await AssertProblem(read, StatusCodes.Status400BadRequest);
    }
}
