using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Supervision.Http;

/// <summary>
/// Renders the library's Liquid templates (embedded resources named <c>*.liquid</c>) with Fluid, HTML-encoding every
/// value, so pages are served the same by both hosts and never built by string concatenation.
/// </summary>
public sealed class LiquidPages
{
    private static readonly FluidParser Parser = new();

    // Encodes what HTML needs encoded (<, >, &, quotes) but leaves Japanese readable in the page source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly ConcurrentDictionary<string, IFluidTemplate> templates = new(StringComparer.Ordinal);
    private readonly TemplateOptions options = new() { MemberAccessStrategy = new UnsafeMemberAccessStrategy() };

    public async Task<string> RenderAsync(string templateName, object model)
    {
        IFluidTemplate template = templates.GetOrAdd(templateName, Load);
        var context = new TemplateContext(model, options);
        return await template.RenderAsync(context, Encoder);
    }

    /// <summary>Parses one of the library's embedded Liquid resources; the mail templates use it too.</summary>
    internal static IFluidTemplate ParseEmbedded(string resource)
    {
        using Stream stream = typeof(LiquidPages).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The template resource {resource} is missing.");
        using var reader = new StreamReader(stream);
        return Parser.TryParse(reader.ReadToEnd(), out IFluidTemplate? template, out string? error)
            ? template
            : throw new InvalidOperationException($"The template {resource} does not parse: {error}");
    }

    private static IFluidTemplate Load(string name) => ParseEmbedded(
        typeof(LiquidPages).Assembly.GetManifestResourceNames().SingleOrDefault(candidate => candidate.EndsWith($".{name}.liquid", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No embedded template {name}.liquid."));
}
