using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Moq;
using Supervision.Domain.Common;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Storage;

namespace Supervision.Tests.Security;

/// <summary>The one preamble of the staff endpoints: each refusal in its order, and what an admitted call carries.</summary>
public sealed class StaffCallsTests
{
    private const string EngagementId = "0123456789abcdef0123456789abcdef";
    private const string RowId = "fedcba9876543210fedcba9876543210";

    private static readonly StaffUser Procurement = new("procurement@example.jp", new HashSet<StaffRole> { StaffRole.Procurement });
    private static readonly StaffUser Auditor = new("auditor@example.jp", new HashSet<StaffRole> { StaffRole.Auditor });

    private static readonly StaffRule Recording = StaffRule.ToChange(StaffRole.Procurement, StaffRole.Auditor) with { TakesIdempotencyKey = true };

    private readonly Identities identities = new();
    private readonly Mock<TableClient> engagementsTable = new();
    private readonly StaffCalls calls;

    public StaffCallsTests()
    {
        var tables = new Mock<TableServiceClient>();
        tables.Setup(service => service.GetTableClient(TableNames.Engagements)).Returns(engagementsTable.Object);
        calls = new StaffCalls(new StaffAccess(identities), new EngagementStore(tables.Object));
        Store(null);
    }

    [Fact]
    public async Task EachRefusal_ComesInItsOrder_UntilTheCallIsAdmitted()
    {
        // A call that fails every check; each step mends one thing and meets the next refusal.
        var attempt = new Attempt(User: null, Key: "not a key", EngagementId: "not-an-id", UnknownRoute: true, ContentType: "text/plain", Body: "{\"text\":\"\"}", ClaimedLength: 1_000);

        await AssertRefused(attempt, 401, "Sign in first.");
        await AssertRefused(attempt = attempt with { User = Auditor }, 403, "Your role does not allow this.");
        await AssertRefused(attempt = attempt with { User = Procurement }, 400, "The request has invalid fields.", StaffInput.IdempotencyKeyHeader);
        await AssertRefused(attempt = attempt with { Key = "key-1" }, 404, "The engagement was not found.");
        await AssertRefused(attempt = attempt with { EngagementId = EngagementId }, 404, "There is no such thing.");
        await AssertRefused(attempt = attempt with { UnknownRoute = false }, 415, "The request body must be JSON.");
        await AssertRefused(attempt = attempt with { ContentType = "application/json" }, 413, "The request body is too large.");
        await AssertRefused(attempt = attempt with { ClaimedLength = null, Body = "{" }, 400, "The request body is not valid JSON.");
        await AssertRefused(attempt = attempt with { Body = "{\"text\":\"\"}" }, 400, "The request has invalid fields.", "text");
        engagementsTable.Verify(NothingRead, Times.Never());

        await AssertRefused(attempt = attempt with { Body = "{\"text\":\"hello\"}" }, 404, "The engagement was not found.");
        Store(new EngagementRecord { PartitionKey = EngagementId, ETag = new ETag("W/\"1\"") });
        StaffCall<Note> admitted = await AdmitAsync(attempt);

        Assert.Null(admitted.Refused);
        Assert.Equal(Procurement, admitted.User);
        Assert.Equal("hello", admitted.Body!.Text);
        Assert.Equal(new ETag("W/\"1\""), admitted.Engagement!.ETag);
        Assert.Equal("key-1", admitted.IdempotencyKey);
    }

    [Fact]
    public async Task ARead_AdmitsEveryRoleItNames_AChange_NeverAnAuditor()
    {
        identities.Current = Auditor;
        Store(new EngagementRecord { PartitionKey = EngagementId });

        StaffCall read = await calls.AdmitAsync(Get(), StaffRule.AnyReader, EngagementId, CancellationToken.None);
        StaffCall change = await calls.AdmitAsync(Get(), StaffRule.ToChange(StaffRole.Auditor, StaffRole.Supervisor), EngagementId, CancellationToken.None);

        Assert.Null(read.Refused);
        Assert.Equal(Auditor.Name, read.Caller);
        Assert.Equal((403, "Allowed: supervisor."), Describe(change.Refused));
    }

    [Fact]
    public async Task AKey_IsNeitherCheckedNorKept_WhenTheRuleTakesNone()
    {
        identities.Current = Procurement;
        Store(new EngagementRecord { PartitionKey = EngagementId });
        HttpRequest request = Get();
        request.Headers[StaffInput.IdempotencyKeyHeader] = "not a key";

        StaffCall call = await calls.AdmitAsync(request, StaffRule.ToChange(StaffRole.Procurement), EngagementId, CancellationToken.None);

        Assert.Null(call.Refused);
        Assert.Equal(Procurement, call.User);
        Assert.NotNull(call.Engagement);
        Assert.Null(call.IdempotencyKey);
    }

    [Fact]
    public async Task ARouteWithoutAnEngagement_IsAdmitted_WithoutReadingOne()
    {
        identities.Current = Procurement;

        StaffCall<Note> call = await calls.AdmitAsync(Post("{\"text\":\"x\"}"), Recording.Taking<Note>(), engagementId: null, CancellationToken.None);

        Assert.Null(call.Refused);
        Assert.Equal("x", call.Body!.Text);
        Assert.Null(call.Engagement);
        engagementsTable.Verify(NothingRead, Times.Never());
    }

    [Fact]
    public async Task ARowBelowTheEngagement_IsNotFoundAsItsSubject_WhenItsIdIsMalformedOrItIsMissing()
    {
        identities.Current = Procurement;
        StaffRule<Note> rule = (StaffRule.ToChange(StaffRole.Procurement) with { Subject = "The incident", LoadsEngagement = false }).Taking<Note>();
        int reads = 0;
        StaffSubject<Row> Subject(bool wellFormed, Row? row) => new(wellFormed, _ => { reads++; return Task.FromResult(row); });

        StaffCall<Note, Row> malformed = await calls.AdmitAsync(Post("{\"text\":\"x\"}"), rule, EngagementId, Subject(false, new Row(RowId)), CancellationToken.None);
        StaffCall<Note, Row> badBody = await calls.AdmitAsync(Post("{"), rule, EngagementId, Subject(true, null), CancellationToken.None);
        StaffCall<Note, Row> missing = await calls.AdmitAsync(Post("{\"text\":\"x\"}"), rule, EngagementId, Subject(true, null), CancellationToken.None);
        StaffCall<Note, Row> found = await calls.AdmitAsync(Post("{\"text\":\"x\"}"), rule, EngagementId, Subject(true, new Row(RowId)), CancellationToken.None);

        Assert.Equal((404, "The incident was not found."), Describe(malformed.Refused));
        Assert.Equal(400, Describe(badBody.Refused).Status);
        Assert.Equal((404, "The incident was not found."), Describe(missing.Refused));
        Assert.Equal(RowId, found.Subject!.Id);
        Assert.Null(found.Engagement);
        Assert.Equal(2, reads);
        engagementsTable.Verify(NothingRead, Times.Never());
    }

    [Fact]
    public async Task ARowAndItsEngagement_AreBothNotFoundAsTheSubject_WhenTheRuleLoadsTheEngagementToo()
    {
        identities.Current = Procurement;
        StaffRule<Note> rule = (StaffRule.ToChange(StaffRole.Procurement) with { Subject = "The inspection" }).Taking<Note>();
        var subject = new StaffSubject<Row>(true, _ => Task.FromResult<Row?>(new Row(RowId)));

        StaffCall<Note, Row> withoutEngagement = await calls.AdmitAsync(Post("{\"text\":\"x\"}"), rule, EngagementId, subject, CancellationToken.None);
        Store(new EngagementRecord { PartitionKey = EngagementId });
        StaffCall<Note, Row> admitted = await calls.AdmitAsync(Post("{\"text\":\"x\"}"), rule, EngagementId, subject, CancellationToken.None);

        Assert.Equal((404, "The inspection was not found."), Describe(withoutEngagement.Refused));
        Assert.Equal(EngagementId, admitted.Engagement!.PartitionKey);
        Assert.Equal(RowId, admitted.Subject!.Id);
    }

    [Fact]
    public async Task TheBodysChecks_SeeTheCaller()
    {
        identities.Current = Procurement;
        StaffRule<Note> rule = StaffRule.ToChange(StaffRole.Procurement).Taking<Note>((note, caller) =>
        {
            var errors = new ValidationErrors();
            if (note.Text != caller.Name)
                errors.Add("text", "must be the caller's name.");
            return errors;
        });

        StaffCall<Note> refused = await calls.AdmitAsync(Post("{\"text\":\"someone else\"}"), rule, engagementId: null, CancellationToken.None);
        StaffCall<Note> admitted = await calls.AdmitAsync(Post($"{{\"text\":\"{Procurement.Name}\"}}"), rule, engagementId: null, CancellationToken.None);

        Assert.Equal(["must be the caller's name."], FormPosts.Read(refused.Refused!).Errors["text"]);
        Assert.Null(admitted.Refused);
    }

    [Fact]
    public async Task AnIdDerivedFromTheKey_IsTheSameForTheSameCallerAndKind_AndNewWithoutAKey()
    {
        identities.Current = Procurement;
        Store(new EngagementRecord { PartitionKey = EngagementId });

        StaffCall<Note> keyed = await AdmitAsync(new Attempt(Procurement, "key-1", EngagementId, false, "application/json", "{\"text\":\"x\"}", null));
        StaffCall<Note> unkeyed = await AdmitAsync(new Attempt(Procurement, null, EngagementId, false, "application/json", "{\"text\":\"x\"}", null));

        Assert.Equal(keyed.IdFor("handover"), keyed.IdFor("handover"));
        Assert.Equal(EngagementIds.FromIdempotencyKey($"{EngagementId}\nhandover\n{Procurement.Name}", "key-1"), keyed.IdFor("handover"));
        Assert.NotEqual(keyed.IdFor("handover"), keyed.IdFor("checkout"));
        Assert.NotEqual(unkeyed.IdFor("handover"), unkeyed.IdFor("handover"));
    }

    private static readonly System.Linq.Expressions.Expression<Func<TableClient, AsyncPageable<TableEntity>>> NothingRead =
        table => table.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>());

    /// <summary>What a read of the engagement finds: its row (and no trail head yet), or nothing.</summary>
    private void Store(EngagementRecord? record)
    {
        TableEntity[] rows = record is null
            ? []
            : [new TableEntity(record.PartitionKey, EngagementRecord.MainRowKey) { [nameof(EngagementRecord.Stage)] = record.Stage, [nameof(EngagementRecord.ContractorName)] = record.ContractorName, ETag = record.ETag }];
        engagementsTable
            .Setup(table => table.QueryAsync<TableEntity>(It.Is<string>(filter => filter.Contains(EngagementId, StringComparison.Ordinal)), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<TableEntity>.FromPages([Page<TableEntity>.FromValues(rows, continuationToken: null, Mock.Of<Response>())]));
    }

    private Task<StaffCall<Note>> AdmitAsync(Attempt attempt)
    {
        identities.Current = attempt.User;
        HttpRequest request = Post(attempt.Body, attempt.ContentType, attempt.ClaimedLength);
        if (attempt.Key is not null)
            request.Headers[StaffInput.IdempotencyKeyHeader] = attempt.Key;
        return calls.AdmitAsync(
            request,
            attempt.ClaimedLength is null ? Recording.Taking<Note>(RequireText) : Recording.Taking<Note>(maxBytes: 64),
            attempt.EngagementId,
            CancellationToken.None,
            attempt.UnknownRoute ? TypedResults.Problem(statusCode: 404, title: "There is no such thing.") : null);
    }

    private async Task AssertRefused(Attempt attempt, int status, string title, string? field = null)
    {
        StaffCall<Note> call = await AdmitAsync(attempt);
        Assert.NotNull(call.Refused);
        FormOutcome outcome = FormPosts.Read(call.Refused);
        Assert.Equal((status, title), (outcome.Status, outcome.Title));
        if (field is not null)
            Assert.Contains(field, outcome.Errors.Keys);
    }

    private static (int Status, string? Title) Describe(IResult? refused)
    {
        Assert.NotNull(refused);
        FormOutcome outcome = FormPosts.Read(refused);
        return (outcome.Status, outcome.Status == 403 ? outcome.Detail : outcome.Title);
    }

    private static ValidationErrors RequireText(Note note)
    {
        var errors = new ValidationErrors();
        errors.RequiredLine("text", note.Text, 100);
        return errors;
    }

    private static HttpRequest Get() => new DefaultHttpContext().Request;

    private static HttpRequest Post(string body, string? contentType = "application/json", long? claimedLength = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = contentType;
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = claimedLength ?? bytes.Length;
        return context.Request;
    }

    private sealed record Attempt(StaffUser? User, string? Key, string EngagementId, bool UnknownRoute, string? ContentType, string Body, long? ClaimedLength);

    private sealed record Note(string? Text);

    private sealed record Row(string Id);

    private sealed class Identities : IStaffIdentitySource
    {
        public StaffUser? Current { get; set; }

        public StaffUser? Resolve(HttpRequest request) => Current;
    }
}
