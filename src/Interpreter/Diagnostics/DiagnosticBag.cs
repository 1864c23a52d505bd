using System.Collections;
using ProcProbe.Interpreter.Syntax;

namespace ProcProbe.Interpreter.Diagnostics;

/// <summary>Collects diagnostics in the order they were raised.</summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;

    public Diagnostic this[int index] => _items[index];

    public int ErrorCount
    {
        get
        {
            int n = 0;
            foreach (var d in _items)
            {
                if (d.IsError)
                    n++;
            }
            return n;
        }
    }

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>A parse error that shows the current token with <c>saw:</c> (or EOF when null).</summary>
    public void ReportParseError(string origin, string message, Token? current)
        => _items.Add(Diagnostic.Parse(message, current, TokenRole.Saw, origin));

    /// <summary>A parse error that names a token with <c>at:</c>.</summary>
    public void ReportParseErrorAt(string origin, string message, Token token)
        => _items.Add(Diagnostic.Parse(message, token, TokenRole.At, origin));

    public void ReportSemanticError(string origin, string message, Token? token, Diagnostic? chained = null)
        => _items.Add(Diagnostic.Semantic(message, token, origin, chained));

    public void ReportWarning(string origin, string message, Token? token)
        => _items.Add(Diagnostic.CreateWarning(message, token, origin));

    public Diagnostic[] ToArray() => _items.ToArray();

    public IEnumerator<Diagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
