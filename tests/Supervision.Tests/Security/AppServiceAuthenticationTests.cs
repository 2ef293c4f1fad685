using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervision.Domain.Staff;
using Supervision.Security;

namespace Supervision.Tests.Security;

public sealed class AppServiceAuthenticationTests
{
    private const string Supervisor = """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"hanako"},{"typ":"roles","val":"supervisor"}]}""";

    private static AppServiceAuthentication Source(string? platform, Dictionary<string, string>? appRoles = null)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(platform is null ? [] : [new(AppServiceAuthentication.PlatformSetting, platform)])
            .Build();
        var options = Options.Create(new StaffSignInOptions { AppRoles = appRoles ?? new(StringComparer.OrdinalIgnoreCase) });
        return new AppServiceAuthentication(configuration, options, NullLogger<AppServiceAuthentication>.Instance);
    }

    private static HttpRequest With(string principal)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[AppServiceAuthentication.PrincipalHeader] = Convert.ToBase64String(Encoding.UTF8.GetBytes(principal));
        return http.Request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("False")]
    [InlineData("")]
    public void APrincipalHeader_IsNotBelieved_WhenThePlatformHasNotTurnedAuthenticationOn(string? platform)
    {
        Assert.Null(Source(platform).Resolve(With(Supervisor)));
    }

    [Fact]
    public void APrincipalHeader_NamesTheUserAndTheirAppRoles_WhenThePlatformAuthenticates()
    {
        StaffUser? user = Source("True").Resolve(With(Supervisor));

        Assert.Equal("hanako", user?.Name);
        Assert.Equal([StaffRole.Supervisor], user?.Roles);
    }

    [Fact]
    public void AClientCredentialsToken_WithTheProcurementAppRole_IsACallerNamedByItsApplication()
    {
        const string App = """{"auth_typ":"aad","name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","claims":[{"typ":"appid","val":"6e1f0a52-4c1b-4f55-9d1b-0c2a7a5e1f11"},{"typ":"roles","val":"procurement"}]}""";

        StaffUser? caller = Source("True").Resolve(With(App));

        Assert.Equal("app:6e1f0a52-4c1b-4f55-9d1b-0c2a7a5e1f11", caller?.Name);
        Assert.Equal([StaffRole.Procurement], caller?.Roles);
    }

    [Fact]
    public void AppRoles_AreMappedByConfiguration_AndAnUnmappedValueGrantsNothing()
    {
        const string Principal = """{"name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"taro"},{"typ":"roles","val":"Supervision.Reviewer"},{"typ":"roles","val":"supervisor"}]}""";
        AppServiceAuthentication source = Source("True", new(StringComparer.OrdinalIgnoreCase) { ["Supervision.Reviewer"] = "auditor" });

        Assert.Equal([StaffRole.Auditor], source.Resolve(With(Principal))?.Roles);
    }

    [Fact]
    public void AMappingToNoStaffRole_StopsTheAppAtStart()
    {
        Assert.Throws<InvalidOperationException>(() => Source("True", new(StringComparer.OrdinalIgnoreCase) { ["Admin"] = "1" }));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("eyJub3QiOiJhIHByaW5jaXBhbCJ9")]
    public void AnUnreadableHeader_IsNoUser(string header)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[AppServiceAuthentication.PrincipalHeader] = header;

        Assert.Null(Source("True").Resolve(http.Request));
    }
}
