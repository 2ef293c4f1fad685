using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Supervision.Http;

namespace Supervision.Tests.Http;

/// <summary>A staff page's form becomes the API's JSON body, and the API's answer becomes what the page shows.</summary>
public sealed class FormPostsTests
{
    private static FormCollection Form(params (string Name, string Value)[] fields) =>
        new(fields.GroupBy(field => field.Name).ToDictionary(group => group.Key, group => new StringValues([.. group.Select(field => field.Value)])));

    [Fact]
    public void AForm_BecomesTheApisBody_ByTheFieldsPaths_AndTheirKinds()
    {
        JsonObject body = FormPosts.ToBody(
            Form(("contractor.name", " 株式会社サンプル "), ("datasets[0].items", "name\r\naddress、phone, email"), ("datasets[0].recordCount", "1200"),
                 ("datasets[0].isSensitive", "true"), ("approve", "false"), ("csrf", "secret"), ("unknown", "x")),
            [new("contractor.name", FieldKind.Text), new("datasets[0].items", FieldKind.List), new("datasets[0].recordCount", FieldKind.Number),
             new("datasets[0].isSensitive", FieldKind.Checkbox), new("datasets[0].leakCausesSecondaryDamage", FieldKind.Checkbox), new("approve", FieldKind.YesNo)]);

        Assert.Equal(
            """{"contractor":{"name":"株式会社サンプル"},"datasets":[{"items":["name","address","phone","email"],"recordCount":1200,"isSensitive":true,"leakCausesSecondaryDamage":false}],"approve":false}""",
            body.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void AnEmptyField_IsLeftOut_AndAValueOfTheWrongKind_IsSentAsTyped_SoTheApiNamesIt()
    {
        JsonObject body = FormPosts.ToBody(
            Form(("reason", "  "), ("approve", "maybe"), ("records", "twelve")),
            [new("reason", FieldKind.Text), new("approve", FieldKind.YesNo), new("records", FieldKind.Number)]);

        Assert.False(body.ContainsKey("reason"));
        Assert.Equal("maybe", (string?)body["approve"]);
        Assert.Equal("twelve", (string?)body["records"]);
    }

    [Fact]
    public void TheApisAnswer_IsReadAsSuccessOrItsProblem()
    {
        FormOutcome accepted = FormPosts.Read(TypedResults.Accepted("/api/engagements/abc", new { id = "abc" }));
        FormOutcome invalid = FormPosts.Read(Problems.Invalid(new Dictionary<string, string[]> { ["reason"] = ["is required."] }));
        FormOutcome conflict = FormPosts.Read(Problems.Conflict("Already decided.", "It is at stage active."));

        Assert.True(accepted.Succeeded);
        Assert.Equal("/api/engagements/abc", accepted.Location);
        Assert.False(invalid.Succeeded);
        Assert.Equal(400, invalid.Status);
        Assert.Equal(["is required."], invalid.Errors["reason"]);
        Assert.Equal((409, "Already decided.", "It is at stage active."), (conflict.Status, conflict.Title, conflict.Detail));
    }
}
