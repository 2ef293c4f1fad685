using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Security;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests.Http;

/// <summary>Every staff route × {no identity, each role}: 401 without identity, 403 for a role the route does not admit.</summary>
[Collection(SharedAzurite.Http)]
public sealed class AuthorizationMatrixTests(AzuriteFixture azurite, PerClass<RunningLocalHost> shared) : IClassFixture<PerClass<RunningLocalHost>>, IAsyncLifetime
{
    private const string MinimalEngagement = """
        {"contractor":{"name":"Matrix Ltd"},"contact":{"name":"A","email":"a@example.com","preferredLanguage":"en"},
         "purpose":"p","datasets":[{"items":["name"],"recordCount":1,"isSensitive":false,"leakCausesSecondaryDamage":false}],
         "plannedStart":"2027-01-01","plannedEnd":"2027-02-01"}
        """;

    /// <summary>Who may call each route. A route missing here fails <see cref="EveryRoute_IsInTheMatrix"/>.</summary>
    private static readonly Dictionary<string, StaffRole[]?> Matrix = new()
    {
        ["POST /api/engagements"] = [StaffRole.Procurement],
        ["GET /api/engagements/{engagementId}"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/selection-criteria"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/selection-decision"] = [StaffRole.Supervisor],
        ["PUT /api/engagements/{engagementId}/supervisor"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["PUT /api/engagements/{engagementId}/contract/terms"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/contract/clauses/{clause}/confirmation"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/handovers"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/handovers"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/engagements/{engagementId}/handovers.csv"] = [StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/checkouts"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/checkouts"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/checkouts/{checkoutId}/return"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/audit"] = [StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/engagements/{engagementId}/audit/verification"] = [StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/engagements/{engagementId}/audit.csv"] = [StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/inspections"] = [StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/inspections"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/inspections/{inspectionId}/findings"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/inspections/{inspectionId}/actions/{actionId}/closure"] = [StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/pledges"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/engagements/{engagementId}/training"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/engagements/{engagementId}/reports"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/reports/{period}/review"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/subcontracts"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/chain"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /staff/engagements/{engagementId}/chain"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/subcontracts/{tierId}/decision"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/subcontracts/{tierId}/acknowledgement"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/subcontracts/{tierId}/suspension"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/subcontract-links"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incidents"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/incidents"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/engagements/{engagementId}/incidents/{incidentId}"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/incidents"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/incidents/{incidentId}/judgement"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incidents/{incidentId}/reports/{kind}"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incidents/{incidentId}/steps/{step}"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incidents/{incidentId}/closure"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incidents/{incidentId}/coordination"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incidents/{incidentId}/client-agreement"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/incident-links"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/prevention-checks"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/termination"] = [StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/closure"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/closure"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/kept-data"] = [StaffRole.Supervisor],
        ["GET /api/engagements/{engagementId}/closure/bundle"] = [StaffRole.Supervisor, StaffRole.Auditor],
        ["POST /api/engagements/{engagementId}/closure/receipts"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/closure/witnessed-erasures"] = [StaffRole.Supervisor],
        ["POST /api/engagements/{engagementId}/reverse-handovers"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /api/portfolio"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/my-work"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/portfolio.csv"] = [StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /staff/portfolio"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /staff/my-work"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /staff/engagements/{engagementId}"] = [StaffRole.Procurement, StaffRole.Supervisor, StaffRole.Auditor],
        ["GET /api/health"] = null, // public: probes carry no identity
        ["GET /api/openapi.json"] = null, // public: the API's description, for client generators and people alike
        // The contractor's side: authorised by the signed link in the URL, never by a staff identity.
        ["GET /vendor/{token}"] = null,
        ["POST /staff/engagements/{engagementId}/forms/{form}"] = [StaffRole.Procurement, StaffRole.Supervisor],
        ["GET /staff/onboarding"] = [StaffRole.Procurement],
        ["POST /staff/onboarding"] = [StaffRole.Procurement],
        ["GET /vendor/{token}/requests"] = null,
        ["POST /api/vendor/{token}/answers"] = null,
        ["POST /api/vendor/{token}/uploads"] = null,
        ["POST /api/vendor/{token}/uploads/{evidenceId}/complete"] = null,
        ["POST /api/vendor/{token}/submit"] = null,
        ["POST /api/vendor/{token}/subcontracts"] = null,
        ["POST /api/vendor/{token}/incidents"] = null,
    };

    private RunningLocalHost host = null!;

    // Every test asks the running host about routes, with ids of its own: one host serves the class.
    public async Task InitializeAsync() => host = await shared.GetAsync(() => RunningLocalHost.StartAsync(azurite));

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> StaffRoutes => new(Matrix.Where(route => route.Value is not null).Select(route => route.Key));

    [Fact]
    public void EveryRoute_IsInTheMatrix()
    {
        Assert.Empty(host.Routes().Except(Matrix.Keys));
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesEveryRouteOfTheMatrix_WithItsRoles()
    {
        using HttpClient anonymous = host.Anonymous();
        JsonObject paths = (await anonymous.GetFromJsonAsync<JsonObject>("/" + OpenApiEndpoints.Route))!["paths"]!.AsObject();
        Dictionary<string, string[]> documented = paths
            .SelectMany(path => path.Value!.AsObject().Select(operation => (
                Route: $"{operation.Key.ToUpperInvariant()} {path.Key}",
                Roles: operation.Value!["x-roles"]!.AsArray().Select(role => (string)role!).ToArray())))
            .ToDictionary(operation => operation.Route, operation => operation.Roles);

        Assert.Equal(Matrix.Keys.Order(), documented.Keys.Order());
        Assert.All(Matrix, route =>
        {
            string[] expected = route.Value is null
                ? [route.Key.Contains("{token}", StringComparison.Ordinal) ? "signedLink" : "anyone"]
                : [.. route.Value.Select(role => role.ToString().ToLowerInvariant())];
            Assert.Equal(expected.Order(), documented[route.Key].Order());
        });
    }

    [Theory]
    [MemberData(nameof(StaffRoutes))]
    public async Task StaffRoute_Answers401_WithoutIdentity(string route)
    {
        using HttpResponseMessage response = await SendAsync(route, user: null, roles: []);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(StaffRoutes))]
    public async Task StaffRoute_AdmitsExactlyItsRoles(string route)
    {
        foreach (StaffRole role in Enum.GetValues<StaffRole>())
        {
            using HttpResponseMessage response = await SendAsync(route, "matrix-user", [role]);

            bool admitted = Matrix[route]!.Contains(role);
            if (admitted)
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} was refused {route}: {response.StatusCode}");
            else
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} on {route}: expected 403, got {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Auditor_IsRefusedEveryChange_EvenWithAnotherRole()
    {
        using HttpResponseMessage asAuditor = await SendAsync("POST /api/engagements", "auditor-only", [StaffRole.Auditor]);

        Assert.Equal(HttpStatusCode.Forbidden, asAuditor.StatusCode);
    }

    [Fact]
    public async Task StaffRoute_IgnoresTheAppServicePrincipalHeader_OnTheLocalHost()
    {
        string forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"mallory"},{"typ":"roles","val":"procurement"}]}"""));
        using HttpClient client = host.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/engagements") { Content = new StringContent(MinimalEngagement, Encoding.UTF8, "application/json") };
        request.Headers.Add(AppServiceAuthentication.PrincipalHeader, forged);

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string route, string? user, StaffRole[] roles)
    {
        string[] parts = route.Split(' ', 2);
        string path = parts[1].Replace("{engagementId}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal).Replace("{period}", "1", StringComparison.Ordinal);
        using HttpClient client = host.Anonymous();
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), path);
        if (parts[0] == "POST")
            request.Content = new StringContent(MinimalEngagement, Encoding.UTF8, "application/json");
        if (user is not null)
        {
            request.Headers.Add(DevelopmentSignIn.UserHeader, user);
            request.Headers.Add(DevelopmentSignIn.RolesHeader, string.Join(',', roles.Select(role => role.ToString().ToLowerInvariant())));
        }

        return await client.SendAsync(request);
    }
}
