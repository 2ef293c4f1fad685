using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Contracts;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Incidents;
using Supervision.Domain.Subcontracts;
using Supervision.Engagements;
using Supervision.Handovers;
using Supervision.Health;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Reports;
using Supervision.Selection;
using Supervision.Subcontracts;
using Supervision.Training;
using Supervision.Vendors;
using CloseRecord = Supervision.Closing.ClosureView;

namespace Supervision.Functions.Tests;

/// <summary>
/// The hand-written OpenAPI document (functions/Supervision/Http/openapi.json) against what the hosts really serve: every
/// route of both hosts under its endpoint name and no other, who may call each, the body each handler reads, the
/// problems it answers, and every request of docs/*.http.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly string[] StaffRoles = ["procurement", "supervisor", "auditor"];

    /// <summary>
    /// The type each operation's handler reads its body as (JsonBody.ReadAsync), or null for none. An operation missing
    /// here fails <see cref="EveryOperation_DocumentsTheBodyItsHandlerReads_WithAnExampleTheHandlerAccepts"/>.
    /// </summary>
    private static readonly Dictionary<string, Type?> BodyTypes = new()
    {
        ["StartEngagement"] = typeof(OnboardingDraft),
        ["GetEngagement"] = null,
        ["PostEngagementForm"] = null,
        ["GetOnboardingPage"] = null,
        ["PostOnboardingForm"] = null,
        ["DecideSelection"] = typeof(SelectionDecisionBody),
        ["AssignSupervisor"] = typeof(SupervisorBody),
        ["RecordContractTerms"] = typeof(ContractTermsBody),
        ["ConfirmContractClause"] = typeof(ClauseConfirmationBody),
        ["RecordHandover"] = typeof(HandoverEntry),
        ["ListHandovers"] = null,
        ["RecordCheckout"] = typeof(CheckoutBody),
        ["ListCheckouts"] = null,
        ["ReturnCheckout"] = typeof(ReturnBody),
        ["GetSelectionCriteria"] = null,
        ["RecordInspection"] = typeof(InspectionBody),
        ["ListInspections"] = null,
        ["RecordInspectionFindings"] = typeof(FindingsBody),
        ["CloseCorrectiveAction"] = typeof(ClosureBody),
        ["ListPledges"] = null,
        ["ListTraining"] = null,
        ["ListAudit"] = null,
        ["VerifyAudit"] = null,
        ["ListReports"] = null,
        ["ReviewReport"] = typeof(ReportReviewBody),
        ["Health"] = null,
        ["OpenApi"] = null,
        ["VendorPage"] = null,
        ["VendorOpenRequests"] = null,
        ["VendorAnswers"] = typeof(AnswersBody),
        ["VendorBeginUpload"] = typeof(UploadBody),
        ["VendorCompleteUpload"] = null,
        ["VendorSubmit"] = null,
        ["RequestSubcontract"] = typeof(SubcontractDraft),
        ["GetChain"] = null,
        ["GetChainPage"] = null,
        ["DecideSubcontract"] = typeof(TierDecisionBody),
        ["AcknowledgeSubcontract"] = typeof(TierAcknowledgementBody),
        ["SuspendSubcontract"] = typeof(TierSuspensionBody),
        ["IssueSubcontractLink"] = typeof(TierLinkBody),
        ["VendorRequestSubcontract"] = typeof(SubcontractDraft),
        ["ReportIncident"] = typeof(IncidentDraft),
        ["ListIncidents"] = null,
        ["GetIncident"] = null,
        ["ListAllIncidents"] = null,
        ["JudgeIncident"] = typeof(IncidentJudgementBody),
        ["RecordIncidentReport"] = typeof(IncidentReportBody),
        ["RecordIncidentStep"] = typeof(IncidentStepBody),
        ["CloseIncident"] = typeof(IncidentClosureBody),
        ["CoordinateIncident"] = typeof(IncidentCoordinationDraft),
        ["RecordIncidentClientAgreement"] = typeof(ClientAgreementBody),
        ["IssueIncidentLink"] = typeof(IncidentLinkBody),
        ["VendorReportIncident"] = typeof(IncidentDraft),
        ["RequestPreventionCheck"] = null,
        ["TerminateEngagement"] = typeof(EndingBody),
        ["GetClosure"] = null,
        ["CloseEngagement"] = typeof(EndingBody),
        ["RecordKeptData"] = typeof(KeptDataBody),
        ["GetClosureBundle"] = null,
        ["AcknowledgeReturnReceipt"] = typeof(ReceiptBody),
        ["RecordWitnessedErasure"] = typeof(WitnessBody),
        ["RecordReverseHandover"] = typeof(ReverseHandoverBody),
        ["ExportAuditCsv"] = null,
        ["ExportHandoversCsv"] = null,
        ["ListPortfolio"] = null,
        ["ListMyWork"] = null,
        ["ExportPortfolioCsv"] = null,
        ["GetPortfolioPage"] = null,
        ["GetMyWorkPage"] = null,
        ["GetEngagementPage"] = null,
    };

    /// <summary>
    /// The type each operation answers on success, or null when it answers an anonymous object, a page or a file. An
    /// operation missing here fails <see cref="EveryOperation_DocumentsTheFieldsOfItsSuccessResponse"/>.
    /// </summary>
    private static readonly Dictionary<string, Type?> ResponseTypes = new()
    {
        ["StartEngagement"] = typeof(EngagementAccepted),
        ["GetEngagement"] = typeof(EngagementView),
        ["PostEngagementForm"] = null,
        ["GetOnboardingPage"] = null,
        ["PostOnboardingForm"] = null,
        ["DecideSelection"] = null,
        ["AssignSupervisor"] = typeof(AssignedSupervisorView),
        ["RecordContractTerms"] = typeof(ContractView),
        ["ConfirmContractClause"] = typeof(ContractView),
        ["RecordHandover"] = typeof(HandoverView),
        ["ListHandovers"] = typeof(HandoverList),
        ["RecordCheckout"] = typeof(CheckoutView),
        ["ListCheckouts"] = typeof(CheckoutList),
        ["ReturnCheckout"] = typeof(CheckoutView),
        ["GetSelectionCriteria"] = typeof(CriteriaView),
        ["RecordInspection"] = typeof(InspectionView),
        ["ListInspections"] = typeof(InspectionsView),
        ["RecordInspectionFindings"] = typeof(InspectionView),
        ["CloseCorrectiveAction"] = typeof(CorrectiveActionView),
        ["ListPledges"] = typeof(PledgesView),
        ["ListTraining"] = typeof(TrainingView),
        ["ListAudit"] = typeof(AuditTrailView),
        ["VerifyAudit"] = typeof(AuditVerificationView),
        ["ListReports"] = typeof(ReportListView),
        ["ReviewReport"] = typeof(ReportView),
        ["Health"] = typeof(HealthReport),
        ["OpenApi"] = null,
        ["VendorPage"] = null,
        ["VendorOpenRequests"] = null,
        ["VendorAnswers"] = null,
        ["VendorBeginUpload"] = typeof(UploadTicketView),
        ["VendorCompleteUpload"] = typeof(UploadDecisionView),
        ["VendorSubmit"] = null,
        ["RequestSubcontract"] = typeof(TierView),
        ["GetChain"] = typeof(ChainResponse),
        ["GetChainPage"] = null,
        ["DecideSubcontract"] = typeof(TierView),
        ["AcknowledgeSubcontract"] = typeof(TierView),
        ["SuspendSubcontract"] = typeof(TierView),
        ["IssueSubcontractLink"] = typeof(StandingLinkView),
        ["VendorRequestSubcontract"] = null,
        ["ReportIncident"] = typeof(IncidentView),
        ["ListIncidents"] = typeof(IncidentList),
        ["GetIncident"] = typeof(IncidentView),
        ["ListAllIncidents"] = typeof(IncidentList),
        ["JudgeIncident"] = typeof(IncidentView),
        ["RecordIncidentReport"] = typeof(IncidentView),
        ["RecordIncidentStep"] = typeof(IncidentView),
        ["CloseIncident"] = typeof(IncidentView),
        ["CoordinateIncident"] = typeof(IncidentView),
        ["RecordIncidentClientAgreement"] = typeof(IncidentView),
        ["IssueIncidentLink"] = typeof(StandingLinkView),
        ["VendorReportIncident"] = null,
        ["RequestPreventionCheck"] = null,
        ["TerminateEngagement"] = typeof(CloseRecord),
        ["GetClosure"] = typeof(CloseRecord),
        ["CloseEngagement"] = typeof(CloseRecord),
        ["RecordKeptData"] = typeof(CloseRecord),
        ["GetClosureBundle"] = null,
        ["AcknowledgeReturnReceipt"] = typeof(CloseRecord),
        ["RecordWitnessedErasure"] = typeof(CloseRecord),
        ["RecordReverseHandover"] = typeof(CloseRecord),
        ["ExportAuditCsv"] = null,
        ["ExportHandoversCsv"] = null,
        ["ListPortfolio"] = typeof(Supervision.Portfolio.PortfolioPage),
        ["ListMyWork"] = typeof(Supervision.Portfolio.PortfolioPage),
        ["ExportPortfolioCsv"] = null,
        ["GetPortfolioPage"] = null,
        ["GetMyWorkPage"] = null,
        ["GetEngagementPage"] = null,
    };

    private static readonly Lazy<JsonObject> Document = new(() => JsonNode.Parse(OpenApiEndpoints.ReadDocument())!.AsObject());

    [Fact]
    public void TheDocument_IsValidOpenApi31_ByTheOpenApiReaderAndItsRules()
    {
        ReadResult read = OpenApiDocument.Parse(System.Text.Encoding.UTF8.GetString(OpenApiEndpoints.ReadDocument()), OpenApiConstants.Json);

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        OpenApiDocument document = read.Document ?? throw new Xunit.Sdk.XunitException("The reader read no document.");
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal(Operations().Count(), document.Paths.Sum(path => path.Value.Operations?.Count ?? 0));
    }

    [Fact]
    public void EveryRouteOfBothHosts_IsDocumentedUnderItsEndpointName_AndEveryDocumentedOperationIsARouteOfBoth()
    {
        string[] documented = [.. Operations().Select(operation => $"{operation.Id} {operation.Method} {operation.Path}").Order()];

        Assert.Equal(LocalHostRoutes.All().Order(), documented);
        Assert.Equal(FunctionsAppRoutes.All().Order(), documented);
    }

    [Fact]
    public void EveryOperation_NamesWhoMayCallIt_AndTheMatchingSecurity()
    {
        string[] staffSchemes = [.. Document.Value["security"]!.AsArray().SelectMany(requirement => requirement!.AsObject().Select(scheme => scheme.Key)).Order()];
        Assert.Equal(["developmentRoles", "developmentUser", "entraId"], staffSchemes);

        Assert.All(Operations(), operation =>
        {
            string[] roles = [.. operation.Node["x-roles"]?.AsArray().Select(role => (string)role!) ?? []];
            JsonArray? security = operation.Node["security"]?.AsArray();
            if (operation.Path.Contains("{token}", StringComparison.Ordinal))
            {
                Assert.Equal(["signedLink"], roles);
                Assert.Empty(security!);
            }
            else if (roles is ["anyone"])
            {
                Assert.Empty(security!);
            }
            else
            {
                Assert.NotEmpty(roles);
                Assert.Empty(roles.Except(StaffRoles));
                Assert.Null(security);
                Assert.False(operation.Method != "GET" && roles.Contains("auditor"), $"{operation.Id} changes something but admits auditors.");
            }
        });
    }

    [Fact]
    public void EveryOperation_DocumentsTheBodyItsHandlerReads_WithAnExampleTheHandlerAccepts()
    {
        Assert.Equal(BodyTypes.Keys.Order(), Operations().Select(operation => operation.Id).Order());
        Assert.All(Operations(), operation =>
        {
            JsonNode? body = operation.Node["requestBody"];
            if (FormBody(operation) is { } form)
            {
                // A staff page's form: its fields are the body of the API route it is handed to, which is checked there.
                Assert.Null(BodyTypes[operation.Id]);
                Assert.Contains("csrf", form["schema"]!["required"]!.AsArray().Select(field => (string?)field));
                return;
            }

            if (BodyTypes[operation.Id] is not { } type)
            {
                Assert.True(body is null, $"{operation.Id} documents a body its handler never reads.");
                return;
            }

            if (body is null)
                throw new Xunit.Sdk.XunitException($"{operation.Id} reads a {type.Name} but documents no body.");
            Assert.True((bool?)body["required"], $"{operation.Id}: the body is required.");
            JsonNode json = body["content"]!["application/json"]!;
            JsonNode example = json["example"] ?? throw new Xunit.Sdk.XunitException($"{operation.Id} has no example body.");
            Assert.NotNull(JsonSerializer.Deserialize(example.ToJsonString(), type, ApiJson.Options));
            AssertSchemaDescribes(type, json["schema"]!, operation.Id, exactly: true);
        });
    }

    [Fact]
    public void EveryOperation_DocumentsTheFieldsOfItsSuccessResponse()
    {
        Assert.Equal(ResponseTypes.Keys.Order(), Operations().Select(operation => operation.Id).Order());
        Assert.All(Operations(), operation =>
        {
            (string status, JsonNode? success) = Assert.Single(operation.Node["responses"]!.AsObject(), response => IsSuccess(response.Key));
            if (status == "303")
            {
                Assert.NotNull(success!["headers"]?["Location"]);
                return;
            }

            JsonObject content = Resolve(success!)["content"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{operation.Id} {status} documents no content.");
            JsonNode schema = Assert.Single(content).Value!["schema"] ?? throw new Xunit.Sdk.XunitException($"{operation.Id} {status} has no schema.");
            if (ResponseTypes[operation.Id] is { } type)
                AssertSchemaDescribes(type, schema, $"{operation.Id} {status}", exactly: false);
        });
    }

    [Fact]
    public void EveryOperation_ListsTheProblemsItAnswers_AsProblemDetails()
    {
        Assert.All(Operations(), operation =>
        {
            JsonObject responses = operation.Node["responses"]!.AsObject();
            string[] statuses = [.. responses.Select(response => response.Key)];
            bool vendor = operation.Path.Contains("{token}", StringComparison.Ordinal);
            bool staff = operation.Node["security"] is null;
            bool hasBody = operation.Node["requestBody"] is not null;
            bool takesIdempotencyKey = Parameters(operation).Any(parameter => (string?)parameter["name"] == "Idempotency-Key");
            bool namesAnItem = Parameters(operation).Any(parameter => (string?)parameter["in"] == "path" && (string?)parameter["name"] != "token");

            bool form = FormBody(operation) is not null;
            Assert.Contains(statuses, IsSuccess);
            if (staff)
                Assert.Superset(new HashSet<string> { "401", "403" }, statuses.ToHashSet());
            if (vendor)
                Assert.Superset(new HashSet<string> { "400", "403", "410" }, statuses.ToHashSet());
            if (hasBody || takesIdempotencyKey)
                Assert.Contains("400", statuses);
            if (hasBody)
                Assert.Superset(new HashSet<string> { "413", "415" }, statuses.ToHashSet());
            if (namesAnItem)
                Assert.Contains("404", statuses);
            if (staff && (hasBody || takesIdempotencyKey) && !form)
                Assert.Equal("#/components/schemas/ValidationProblem", (string?)Resolve(responses["400"]!)["content"]!["application/problem+json"]!["schema"]!["$ref"]);

            foreach ((string status, JsonNode? response) in responses.Where(response => response.Key is ['4', _, _] and not "422"))
            {
                JsonObject content = Resolve(response!)["content"]!.AsObject();
                bool page = (operation.Method == "GET" || form) && content.ContainsKey("text/html");
                Assert.True(page || content.ContainsKey("application/problem+json"), $"{operation.Id} {status} is not problem details.");
            }
        });
    }

    [Fact]
    public void TheProblemSchemas_CarryTheFieldsTheApiAnswers()
    {
        JsonObject schemas = Document.Value["components"]!["schemas"]!.AsObject();

        Assert.Equal(["detail", "missing", "status", "title", "traceId", "type"], schemas["Problem"]!["properties"]!.AsObject().Select(property => property.Key).Order());
        Assert.Contains("errors", schemas["ValidationProblem"]!["allOf"]![1]!["required"]!.AsArray().Select(field => (string)field!));
        Assert.Equal(
            Enum.GetNames<Domain.Vendors.LinkVerdict>().Where(verdict => verdict != nameof(Domain.Vendors.LinkVerdict.Valid)).Order(),
            schemas["LinkProblem"]!["allOf"]![1]!["properties"]!["code"]!["enum"]!.AsArray().Select(code => (string)code!).Order());
    }

    [Fact]
    public void EveryRequestLine_OfDocsHttpFiles_IsADocumentedOperation()
    {
        string[] files = Directory.GetFiles(Path.Combine(LocalHost.Azurite.ProjectRoot.Find(), "docs"), "*.http");
        (string File, string Method, string Path)[] requests = [.. files.SelectMany(file => File.ReadLines(file)
            .Select(line => RequestLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (System.IO.Path.GetFileName(file), match.Groups["method"].Value, match.Groups["path"].Value.Replace("{{api}}", "/api", StringComparison.Ordinal).Split('?')[0])))];

        Assert.NotEmpty(files);
        Assert.True(requests.Length > 20, $"Only {requests.Length} requests were read from docs/*.http.");
        Assert.All(requests, request => Assert.True(
            Operations().Any(operation => operation.Method == request.Method && Matches(operation.Path, request.Path)),
            $"{request.File}: {request.Method} {request.Path} is no documented operation."));
    }

    [Fact]
    public void TheHttpFileCheck_RefusesAnUndocumentedPath()
    {
        Assert.True(Matches("/api/engagements/{engagementId}/closure", "/api/engagements/{{start.response.body.$.id}}/closure"));
        Assert.False(Matches("/api/engagements/{engagementId}/closure", "/api/engagements/{{start.response.body.$.id}}/closing"));
        Assert.False(Matches("/api/engagements/{engagementId}", "/api/engagements/x/closure"));
    }

    private sealed record Operation(string Id, string Method, string Path, JsonObject Node);

    private static IEnumerable<Operation> Operations() => Document.Value["paths"]!.AsObject()
        .SelectMany(path => path.Value!.AsObject()
            .Where(member => member.Key is not ("parameters" or "summary" or "description"))
            .Select(member => new Operation((string)member.Value!["operationId"]!, member.Key.ToUpperInvariant(), path.Key, member.Value!.AsObject())));

    private static IEnumerable<JsonNode> Parameters(Operation operation) =>
        operation.Node["parameters"]?.AsArray().Select(parameter => Resolve(parameter!)) ?? [];

    /// <summary>Follows a local <c>$ref</c> (<c>#/components/…</c>) to what it names.</summary>
    private static JsonNode Resolve(JsonNode node)
    {
        while (node is JsonObject { } reference && reference["$ref"] is { } target)
        {
            node = ((string)target!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode)Document.Value, (current, segment) => current[segment] ?? throw new Xunit.Sdk.XunitException($"{target} names nothing."));
        }

        return node;
    }

    /// <summary>
    /// The schema has the JSON fields of <paramref name="type"/>, recursively, and an enum's values are names of its .NET
    /// enum (a route may take fewer of them). <paramref name="exactly"/> (a request body): every object, list and enum is
    /// spelt out and closed to other fields; otherwise (a response) a nested part may be left as a bare object or list.
    /// </summary>
    private static void AssertSchemaDescribes(Type type, JsonNode schemaNode, string at, bool exactly, ImmutableStack<Type>? within = null)
    {
        JsonNode schema = NonNull(Resolve(schemaNode));
        Type actual = Nullable.GetUnderlyingType(type) ?? type;
        within ??= [];
        if (within.Contains(actual))
            return; // a tree (a tier's children): its type was checked above
        if (actual.IsEnum)
        {
            string[] names = [.. Enum.GetNames(actual).Select(JsonNamingPolicy.CamelCase.ConvertName)];
            string[] documented = [.. schema["enum"]?.AsArray().Select(value => (string)value!) ?? []];
            Assert.True((!exactly && documented.Length == 0) || (documented.Length > 0 && documented.All(names.Contains)), $"{at}: enum [{string.Join(", ", documented)}] is not of {actual.Name} [{string.Join(", ", names)}].");
            return;
        }

        if (actual == typeof(string) || actual.IsPrimitive || actual == typeof(DateOnly) || actual == typeof(DateTimeOffset) || IsDictionary(actual))
            return;

        if (actual.GetInterfaces().FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            && typeof(IEnumerable).IsAssignableFrom(actual))
        {
            Assert.True(schema["items"] is not null || !exactly, $"{at}: a list without items.");
            if (schema["items"] is { } items)
                AssertSchemaDescribes(enumerable.GetGenericArguments()[0], items, $"{at}[]", exactly, within);
            return;
        }

        if (!exactly && schema["properties"] is null)
            return;
        PropertyInfo[] fields = [.. actual.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(field => field.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)];
        JsonObject properties = schema["properties"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{at}: {actual.Name} is documented without its fields.");
        Assert.True(
            fields.Select(field => JsonNamingPolicy.CamelCase.ConvertName(field.Name)).Order().SequenceEqual(properties.Select(property => property.Key).Order()),
            $"{at}: documented [{string.Join(", ", properties.Select(property => property.Key))}], {actual.Name} has [{string.Join(", ", fields.Select(field => JsonNamingPolicy.CamelCase.ConvertName(field.Name)))}].");
        if (exactly)
            Assert.Equal(false, (bool?)schema["additionalProperties"]);
        foreach (PropertyInfo field in fields)
        {
            string name = JsonNamingPolicy.CamelCase.ConvertName(field.Name);
            AssertSchemaDescribes(field.PropertyType, properties[name]!, $"{at}.{name}", exactly, within.Push(actual));
        }
    }

    /// <summary>What a nullable schema (<c>oneOf</c> a schema and <c>null</c>) is when it is not null.</summary>
    private static JsonNode NonNull(JsonNode schema) =>
        schema["oneOf"]?.AsArray() is { Count: 2 } choices && choices.SingleOrDefault(choice => (string?)choice!["type"] == "null") is { } none
            ? Resolve(choices.Single(choice => choice != none)!)
            : schema;

    private static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type)
        || type.GetInterfaces().Append(type).Any(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));

    /// <summary>Does a docs/*.http path (its variables as <c>{{…}}</c>) fit a documented path template?</summary>
    private static bool Matches(string template, string path)
    {
        string[] expected = template.Split('/');
        string[] given = path.Split('/');
        return expected.Length == given.Length && expected.Zip(given).All(pair =>
            pair.First.StartsWith('{') ? pair.Second.Length > 0 : pair.First == pair.Second);
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>\S+)")]
    private static partial Regex RequestLine();

    /// <summary>Success is a 2xx, or for a page's form the 303 that sends the browser back to a page.</summary>
    private static bool IsSuccess(string status) => status.StartsWith('2') || status == "303";

    /// <summary>The form body of a staff page's form post, or null for an API operation.</summary>
    private static JsonNode? FormBody(Operation operation) =>
        operation.Node["requestBody"]?["content"]?["application/x-www-form-urlencoded"];
}
