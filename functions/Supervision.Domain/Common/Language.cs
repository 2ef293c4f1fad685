namespace Supervision.Domain.Common;

/// <summary>The languages a contractor contact can be written to in.</summary>
public enum Language
{
    Ja,
    En,
}

public static class Languages
{
    public static bool TryParse(string? code, out Language language)
    {
        switch (code?.Trim().ToUpperInvariant())
        {
            case "JA":
                language = Language.Ja;
                return true;
            case "EN":
                language = Language.En;
                return true;
            default:
                language = default;
                return false;
        }
    }

    public static string Code(this Language language) => language == Language.Ja ? "ja" : "en";
}
