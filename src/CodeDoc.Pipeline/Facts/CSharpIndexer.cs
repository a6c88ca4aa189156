using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeDoc.Pipeline;

/// <summary>
/// C# definitions from Roslyn's syntax tree (no compilation, so no references are needed): namespaces, types with
/// their bases, methods, constructors, properties (record parameters included), fields, events and enum members,
/// with signatures and the <c>&lt;summary&gt;</c> of documentation comments. Public means public all the way out.
/// </summary>
internal sealed class CSharpIndexer : ILanguageIndexer
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Parse);

    public string Language => "csharp";

    public void Index(string path, string content, SymbolSink sink)
    {
        var tree = CSharpSyntaxTree.ParseText(content, ParseOptions, path);
        var root = (CompilationUnitSyntax)tree.GetRoot();
        ReadMembers(root.Members, sink, container: null, containerIsPublic: true, typeName: null, isInterface: false);
    }

    private static void ReadMembers(SyntaxList<MemberDeclarationSyntax> members, SymbolSink sink, string? container, bool containerIsPublic, string? typeName, bool isInterface)
    {
        foreach (var member in members)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax ns:
                    ReadNamespace(ns, sink, container);
                    break;
                case ExtensionBlockDeclarationSyntax extension:
                    // C# 14 extension blocks add members to another type; they read as members of the enclosing class.
                    ReadMembers(extension.Members, sink, container, containerIsPublic, typeName, isInterface: false);
                    break;
                case BaseTypeDeclarationSyntax type:
                    ReadType(type, sink, container, containerIsPublic, isInterface);
                    break;
                case DelegateDeclarationSyntax @delegate:
                    Add(sink, @delegate, @delegate.Identifier, container, CodeSymbolKind.Type, IsPublic(@delegate.Modifiers, containerIsPublic, isInterface), Header(@delegate, @delegate.SemicolonToken.GetPreviousToken()));
                    break;
                case MethodDeclarationSyntax method:
                    Add(sink, method, method.Identifier, container, CodeSymbolKind.Method, IsPublic(method.Modifiers, containerIsPublic, isInterface), Header(method, LastHeaderToken(method.ParameterList, method.ConstraintClauses)));
                    break;
                case ConstructorDeclarationSyntax constructor when typeName is not null:
                    Add(sink, constructor, constructor.Identifier, container, CodeSymbolKind.Method, IsPublic(constructor.Modifiers, containerIsPublic, isInterface), Header(constructor, constructor.ParameterList.CloseParenToken));
                    break;
                case PropertyDeclarationSyntax property:
                    Add(sink, property, property.Identifier, container, CodeSymbolKind.Property, IsPublic(property.Modifiers, containerIsPublic, isInterface), PropertyHeader(property, property.AccessorList, property.ExpressionBody is not null));
                    break;
                case EventDeclarationSyntax @event:
                    Add(sink, @event, @event.Identifier, container, CodeSymbolKind.Event, IsPublic(@event.Modifiers, containerIsPublic, isInterface), Header(@event, @event.Identifier));
                    break;
                case BaseFieldDeclarationSyntax field:
                    ReadField(field, sink, container, IsPublic(field.Modifiers, containerIsPublic, isInterface));
                    break;
                case EnumMemberDeclarationSyntax enumMember:
                    Add(sink, enumMember, enumMember.Identifier, container, CodeSymbolKind.Field, containerIsPublic, null);
                    break;
            }
        }
    }

    private static void ReadNamespace(BaseNamespaceDeclarationSyntax ns, SymbolSink sink, string? container)
    {
        var name = SymbolSink.Qualify(container, ns.Name.ToString());
        var dot = name.LastIndexOf('.');
        sink.Add(dot < 0 ? name : name[(dot + 1)..], dot < 0 ? null : name[..dot], CodeSymbolKind.Namespace, Line(ns.Name), isPublic: true);
        ReadMembers(ns.Members, sink, name, containerIsPublic: true, typeName: null, isInterface: false);
    }

    private static void ReadType(BaseTypeDeclarationSyntax type, SymbolSink sink, string? container, bool containerIsPublic, bool inInterface)
    {
        var name = type.Identifier.ValueText;
        var isPublic = IsPublic(type.Modifiers, containerIsPublic, inInterface);
        var qualified = SymbolSink.Qualify(container, name);
        SyntaxToken headerEnd = type.BaseList?.GetLastToken() ?? type.Identifier;
        if (type is TypeDeclarationSyntax typeDeclaration)
        {
            headerEnd = typeDeclaration.ConstraintClauses.LastOrDefault()?.GetLastToken()
                ?? type.BaseList?.GetLastToken()
                ?? typeDeclaration.ParameterList?.GetLastToken()
                ?? typeDeclaration.TypeParameterList?.GetLastToken()
                ?? type.Identifier;
        }

        Add(sink, type, type.Identifier, container, CodeSymbolKind.Type, isPublic, isPublic ? Header(type, headerEnd) : null);
        if (type.BaseList is not null)
        {
            foreach (var baseType in type.BaseList.Types)
            {
                sink.AddBase(qualified, baseType.Type.ToString());
            }
        }

        switch (type)
        {
            case EnumDeclarationSyntax @enum:
                foreach (var member in @enum.Members)
                {
                    Add(sink, member, member.Identifier, qualified, CodeSymbolKind.Field, isPublic, null);
                }

                break;
            case TypeDeclarationSyntax declaration:
                if (declaration.ParameterList is { } parameters && declaration is RecordDeclarationSyntax)
                {
                    // Positional record parameters are public properties.
                    foreach (var parameter in parameters.Parameters)
                    {
                        sink.Add(parameter.Identifier.ValueText, qualified, CodeSymbolKind.Property, Line(parameter), isPublic, isPublic ? SymbolSink.Collapse($"{parameter.Type} {parameter.Identifier.ValueText} {{ get; init; }}") : null);
                    }
                }

                ReadMembers(declaration.Members, sink, qualified, isPublic, name, declaration is InterfaceDeclarationSyntax);
                break;
        }
    }

    private static void ReadField(BaseFieldDeclarationSyntax field, SymbolSink sink, string? container, bool isPublic)
    {
        foreach (var variable in field.Declaration.Variables)
        {
            var signature = isPublic
                ? SymbolSink.Collapse($"{Modifiers(field.Modifiers)}{(field is EventFieldDeclarationSyntax ? "event " : string.Empty)}{field.Declaration.Type} {variable.Identifier.ValueText}")
                : null;
            sink.Add(variable.Identifier.ValueText, container, field is EventFieldDeclarationSyntax ? CodeSymbolKind.Event : CodeSymbolKind.Field, Line(variable), isPublic, signature, isPublic ? Summary(field) : null);
        }
    }

    private static void Add(SymbolSink sink, MemberDeclarationSyntax node, SyntaxToken identifier, string? container, CodeSymbolKind kind, bool isPublic, string? signature) =>
        sink.Add(identifier.ValueText, container, kind, Line(identifier), isPublic, isPublic ? signature : null, isPublic ? Summary(node) : null);

    /// <summary>
    /// Whether a member is visible outside the assembly: declared public (interface members are public unless they say
    /// otherwise) inside a public container. Protected members are left out: API pages list what callers can use.
    /// </summary>
    private static bool IsPublic(SyntaxTokenList modifiers, bool containerIsPublic, bool isInterfaceMember)
    {
        if (!containerIsPublic)
        {
            return false;
        }

        if (modifiers.Any(SyntaxKind.PublicKeyword))
        {
            return true;
        }

        return isInterfaceMember
            && !modifiers.Any(SyntaxKind.PrivateKeyword) && !modifiers.Any(SyntaxKind.ProtectedKeyword) && !modifiers.Any(SyntaxKind.InternalKeyword);
    }

    /// <summary>The declaration from its first modifier (attributes left out) to the given token, on one line.</summary>
    private static string Header(MemberDeclarationSyntax node, SyntaxToken last)
    {
        var first = node.Modifiers.Count > 0 ? node.Modifiers[0] : node.AttributeLists.Count > 0 ? node.AttributeLists[^1].GetLastToken().GetNextToken() : node.GetFirstToken();
        var text = node.SyntaxTree.GetText();
        var start = first.SpanStart;
        var end = Math.Max(start, last.Span.End);
        return SymbolSink.Collapse(text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, end)).AsSpan());
    }

    private static SyntaxToken LastHeaderToken(ParameterListSyntax parameters, SyntaxList<TypeParameterConstraintClauseSyntax> constraints) =>
        constraints.Count > 0 ? constraints[^1].GetLastToken() : parameters.CloseParenToken;

    private static string PropertyHeader(PropertyDeclarationSyntax property, AccessorListSyntax? accessors, bool expressionBodied)
    {
        var head = Header(property, property.Identifier);
        if (expressionBodied || accessors is null)
        {
            return head + " { get; }";
        }

        var builder = new StringBuilder(head).Append(" {");
        foreach (var accessor in accessors.Accessors)
        {
            builder.Append(' ');
            if (accessor.Modifiers.Count > 0)
            {
                builder.Append(accessor.Modifiers.ToString()).Append(' ');
            }

            builder.Append(accessor.Keyword.ValueText).Append(';');
        }

        return builder.Append(" }").ToString();
    }

    private static string Modifiers(SyntaxTokenList modifiers) => modifiers.Count == 0 ? string.Empty : modifiers.ToString() + " ";

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static int Line(SyntaxToken token) => token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>The text of a documentation comment's <c>&lt;summary&gt;</c>, with cref and code references as plain names.</summary>
    private static string? Summary(SyntaxNode node)
    {
        foreach (var trivia in node.GetLeadingTrivia())
        {
            if (trivia.GetStructure() is not DocumentationCommentTriviaSyntax doc)
            {
                continue;
            }

            foreach (var element in doc.Content.OfType<XmlElementSyntax>())
            {
                if (element.StartTag.Name.LocalName.ValueText == "summary")
                {
                    var builder = new StringBuilder();
                    AppendXml(element.Content, builder);
                    var summary = SymbolSink.Collapse(builder.ToString().AsSpan());
                    return summary.Length == 0 ? null : summary;
                }
            }
        }

        return null;
    }

    private static void AppendXml(SyntaxList<XmlNodeSyntax> nodes, StringBuilder builder)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case XmlTextSyntax text:
                    foreach (var token in text.TextTokens)
                    {
                        builder.Append(token.IsKind(SyntaxKind.XmlTextLiteralNewLineToken) ? " " : token.ValueText);
                    }

                    break;
                case XmlElementSyntax element:
                    AppendXml(element.Content, builder);
                    break;
                case XmlEmptyElementSyntax empty:
                    foreach (var attribute in empty.Attributes)
                    {
                        switch (attribute)
                        {
                            case XmlCrefAttributeSyntax cref:
                                builder.Append(cref.Cref.ToString());
                                break;
                            case XmlNameAttributeSyntax name:
                                builder.Append(name.Identifier.Identifier.ValueText);
                                break;
                            case XmlTextAttributeSyntax text when text.Name.LocalName.ValueText == "langword":
                                builder.Append(string.Concat(text.TextTokens.Select(t => t.ValueText)));
                                break;
                        }
                    }

                    break;
            }
        }
    }
}
