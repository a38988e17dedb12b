using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Herald.Scheduling;
using Herald.Testing;
using Herald.Workers.RateLimiting;

namespace Herald.Core.Tests;

/// <summary>
/// Herald.Core's public surface against the approved list in <c>PublicApi/Herald.Core.txt</c>, so that widening
/// (or narrowing) it is a decision a reviewer sees in the diff, not a side effect of a refactoring.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>Set to 1 to rewrite the approved list from the assembly as it is built now.</summary>
    public const string ApproveVariable = "HERALD_APPROVE_PUBLIC_API";

    private const string Baseline = "tests/Herald.Core.Tests/PublicApi/Herald.Core.txt";

    private static readonly Assembly Core = typeof(ScheduleTime).Assembly;

    [Fact]
    public void HeraldCore_PublicApi_MatchesTheApprovedList()
    {
        var actual = PublicApi.Lines(Core);
        var path = Path.Combine(RepositoryPaths.Root, Baseline);
        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Concat(actual.Select(line => line + "\n")));
        }

        var approved = File.Exists(path)
            ? File.ReadAllText(path).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];
        var added = actual.Except(approved, StringComparer.Ordinal).ToList();
        var removed = approved.Except(actual, StringComparer.Ordinal).ToList();

        Assert.True(added.Count == 0 && removed.Count == 0, Difference(File.Exists(path), added, removed));
    }

    [Fact]
    public void Lines_InternalTypesAndMembers_AreNotListed()
    {
        var lines = PublicApi.Lines(Core);

        Assert.DoesNotContain(lines, l => l.StartsWith(PublicApi.TypeName(typeof(SlidingLogRateLimiter)) + " |", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" FindZone(", StringComparison.Ordinal));
        Assert.Contains(
            $"{PublicApi.TypeName(typeof(ScheduleTime))} | method | public static {PublicApi.TypeName(typeof(ScheduleTime))} Parse(" +
            $"string text, System.TimeProvider timeProvider, System.TimeZoneInfo? defaultZone = null, string field = \"--at\")",
            lines);
    }

    [Fact]
    public void Lines_ProtectedMemberOfAnOpenClass_IsListedAsProtected()
    {
        var lines = PublicApi.Lines(Core);
        var limiter = PublicApi.TypeName(typeof(PublishRateLimiter));

        Assert.Contains(
            $"{limiter} | method | protected static System.Threading.RateLimiting.RateLimitLease Denied(System.TimeSpan retryAfter)",
            lines);
        Assert.Contains(
            $"{limiter} | method | public abstract System.Threading.Tasks.ValueTask ParkAsync(" +
            "System.DateTimeOffset until, System.Threading.CancellationToken cancellationToken = default)",
            lines);
    }

    [Fact]
    public void Lines_ListedTwice_AreTheSameSortedLinesWithoutDuplicates()
    {
        var first = PublicApi.Lines(Core);
        var second = PublicApi.Lines(Core);

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct(StringComparer.Ordinal).Count());
        Assert.All(first, line => Assert.DoesNotContain("\n", line, StringComparison.Ordinal));
    }

    private static string Difference(bool baselineExists, List<string> added, List<string> removed)
    {
        var message = new System.Text.StringBuilder();
        message.AppendLine(baselineExists
            ? $"Herald.Core's public API differs from {Baseline}."
            : $"{Baseline} does not exist yet.");
        message.AppendLine(CultureInfo.InvariantCulture, $"Added ({added.Count}):");
        added.ForEach(line => message.AppendLine("+ " + line));
        message.AppendLine(CultureInfo.InvariantCulture, $"Removed ({removed.Count}):");
        removed.ForEach(line => message.AppendLine("- " + line));
        message.Append(
            $"If the change is intended, accept it: run `{ApproveVariable}=1 dotnet test tests/Herald.Core.Tests " +
            $"--filter FullyQualifiedName~PublicApiTests`, which rewrites {Baseline}, and commit that file with the change.");
        return message.ToString();
    }
}

/// <summary>
/// An assembly's public and protected surface as sorted lines: <c>type | kind | signature</c>, C#-like, with
/// namespace-qualified type names and nullable annotations, so that any change of a name, type, modifier,
/// parameter or default value changes a line.
/// </summary>
internal static class PublicApi
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(char)] = "char",
        [typeof(decimal)] = "decimal",
        [typeof(double)] = "double",
        [typeof(float)] = "float",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(nint)] = "nint",
        [typeof(nuint)] = "nuint",
        [typeof(object)] = "object",
        [typeof(string)] = "string",
        [typeof(void)] = "void",
    };

    private static readonly string[] KindOrder = ["constructor", "field", "property", "event", "method", "operator"];

    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    public static IReadOnlyList<string> Lines(Assembly assembly) =>
        assembly.GetTypes()
            .Where(IsVisible)
            .OrderBy(TypeName, StringComparer.Ordinal)
            .SelectMany(TypeLines)
            .ToList();

    /// <summary>The type's name as the list writes it: namespace, declaring types and generic parameters.</summary>
    public static string TypeName(Type type) => Name(type, null);

    private static IEnumerable<string> TypeLines(Type type)
    {
        var name = TypeName(type);
        yield return $"{name} | {TypeKind(type)} | {TypeSignature(type)}";
        if (type.IsSubclassOf(typeof(Delegate)))
        {
            yield break;
        }

        // By kind, then name (overloads by signature): a member's lines stay together and in a stable place.
        var members = type.GetMembers(Declared)
            .Select(m => (Member: m, Line: Member(m)))
            .Where(m => m.Line is not null)
            .OrderBy(m => Array.IndexOf(KindOrder, m.Line!.Value.Kind))
            .ThenBy(m => m.Member.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Line!.Value.Signature, StringComparer.Ordinal);
        foreach (var (_, line) in members)
        {
            yield return $"{name} | {line!.Value.Kind} | {line.Value.Signature}";
        }
    }

    private static bool IsVisible(Type type) =>
        type.IsPublic ||
        (type.IsNestedPublic && IsVisible(type.DeclaringType!)) ||
        ((type.IsNestedFamily || type.IsNestedFamORAssem) && IsVisible(type.DeclaringType!) && !type.DeclaringType!.IsSealed);

    private static string TypeKind(Type type) =>
        type.IsInterface ? "interface" :
        type.IsEnum ? "enum" :
        type.IsValueType ? "struct" :
        type.IsSubclassOf(typeof(Delegate)) ? "delegate" :
        "class";

    private static string TypeSignature(Type type)
    {
        var access = type.IsPublic || type.IsNestedPublic ? "public" : type.IsNestedFamily ? "protected" : "protected internal";
        var shortName = Name(type, null)[(type.IsNested ? Name(type.DeclaringType!, null).Length + 1 : (type.Namespace?.Length + 1 ?? 0))..];
        if (type.IsEnum)
        {
            return $"{access} enum {shortName} : {Name(Enum.GetUnderlyingType(type), null)}";
        }

        if (type.IsSubclassOf(typeof(Delegate)))
        {
            var invoke = type.GetMethod("Invoke")!;
            return $"{access} delegate {Returns(invoke)} {shortName}({Parameters(invoke)})";
        }

        var modifiers = new List<string> { access };
        if (type.IsInterface)
        {
            modifiers.Add("interface");
        }
        else if (type.IsValueType)
        {
            if (type.IsDefined(typeof(IsReadOnlyAttribute), false))
            {
                modifiers.Add("readonly");
            }

            if (IsRecord(type))
            {
                modifiers.Add("record");
            }

            modifiers.Add("struct");
        }
        else
        {
            modifiers.Add(type is { IsAbstract: true, IsSealed: true } ? "static" : type.IsAbstract ? "abstract" : type.IsSealed ? "sealed" : "");
            modifiers.Add(IsRecord(type) ? "record" : "class");
        }

        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType))
        {
            bases.Add(Name(baseType, null));
        }

        // Interfaces a base class brings are that class's surface, listed with it.
        bases.AddRange(type.GetInterfaces().Except(type.BaseType?.GetInterfaces() ?? []).Select(i => Name(i, null)).Order(StringComparer.Ordinal));
        var signature = string.Join(' ', modifiers.Where(m => m.Length > 0)) + " " + shortName;
        return bases.Count == 0 ? signature : $"{signature} : {string.Join(", ", bases)}";
    }

    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$", Declared) is not null ||
        (type.IsValueType && type.GetMethod("PrintMembers", Declared) is { } print && print.IsDefined(typeof(CompilerGeneratedAttribute)));

    private static (string Kind, string Signature)? Member(MemberInfo member)
    {
        if (member.Name.Contains('<', StringComparison.Ordinal))
        {
            return null; // compiler-generated, unspeakable in C#
        }

        switch (member)
        {
            case ConstructorInfo constructor when IsVisible(constructor) && !constructor.IsStatic:
                return ("constructor", $"{Access(constructor)} {ShortName(constructor.DeclaringType!)}({Parameters(constructor)})");
            case MethodInfo method when IsVisible(method) && method.Name.StartsWith("op_", StringComparison.Ordinal) && method.IsSpecialName:
                return ("operator", $"{Access(method)} static {Returns(method)} {method.Name}({Parameters(method)})");
            case MethodInfo method when IsVisible(method) && !method.IsSpecialName:
                return ("method", $"{MethodModifiers(method)} {Returns(method)} {method.Name}{GenericParameters(method)}({Parameters(method)})");
            case PropertyInfo property when Accessors(property).Any(IsVisible):
                return ("property", PropertySignature(property));
            case FieldInfo field when IsVisible(field) && !field.IsSpecialName:
                return ("field", FieldSignature(field));
            case EventInfo e when e.AddMethod is { } add && IsVisible(add):
                return ("event", $"{MethodModifiers(add)} event {Name(e.EventHandlerType!, new NullabilityInfoContext().Create(e))} {e.Name}");
            default:
                return null;
        }
    }

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static bool IsVisible(FieldInfo field) => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "public" : method.IsFamily ? "protected" : "protected internal";

    private static string Access(FieldInfo field) => field.IsPublic ? "public" : field.IsFamily ? "protected" : "protected internal";

    private static string MethodModifiers(MethodInfo method)
    {
        var modifiers = new List<string> { Access(method) };
        var overrides = method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        if (method.IsStatic)
        {
            modifiers.Add(method.IsAbstract ? "static abstract" : method.IsVirtual ? "static virtual" : "static");
        }
        else if (method.DeclaringType!.IsInterface)
        {
            // Interface members are abstract unless they bring a default body.
            if (!method.IsAbstract)
            {
                modifiers.Add("virtual");
            }
        }
        else if (method.IsAbstract)
        {
            modifiers.Add(overrides ? "abstract override" : "abstract");
        }
        else if (method.IsVirtual && !method.IsFinal)
        {
            modifiers.Add(overrides ? "override" : "virtual");
        }
        else if (method.IsVirtual && overrides)
        {
            modifiers.Add("sealed override");
        }

        return string.Join(' ', modifiers);
    }

    private static string PropertySignature(PropertyInfo property)
    {
        var visible = Accessors(property).Where(IsVisible).ToList();
        var widest = visible.OrderBy(a => a.IsPublic ? 0 : 1).First();
        var nullability = new NullabilityInfoContext().Create(property);
        var indexer = property.GetIndexParameters();
        var name = indexer.Length == 0 ? property.Name : $"this[{Parameters(indexer)}]";
        var accessors = visible.Select(a =>
        {
            var access = Access(a) == Access(widest) ? "" : Access(a) + " ";
            var verb = a == property.GetMethod ? "get" : IsInitOnly(a) ? "init" : "set";
            return $"{access}{verb};";
        });
        return $"{MethodModifiers(widest)} {Name(property.PropertyType, nullability)} {name} {{ {string.Join(' ', accessors)} }}";
    }

    private static IEnumerable<MethodInfo> Accessors(PropertyInfo property) =>
        new[] { property.GetMethod, property.SetMethod }.OfType<MethodInfo>();

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static string FieldSignature(FieldInfo field)
    {
        if (field.DeclaringType!.IsEnum)
        {
            return $"{field.Name} = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
        }

        var type = Name(field.FieldType, new NullabilityInfoContext().Create(field));
        return field.IsLiteral
            ? $"{Access(field)} const {type} {field.Name} = {Literal(field.GetRawConstantValue(), field.FieldType)}"
            : $"{Access(field)} {(field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{type} {field.Name}";
    }

    private static string Returns(MethodInfo method) =>
        Name(method.ReturnType, new NullabilityInfoContext().Create(method.ReturnParameter));

    private static string GenericParameters(MethodInfo method) =>
        method.IsGenericMethodDefinition ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : "";

    private static string Parameters(MethodBase method)
    {
        var list = Parameters(method.GetParameters());
        return method.IsDefined(typeof(ExtensionAttribute), false) ? "this " + list : list;
    }

    private static string Parameters(ParameterInfo[] parameters) =>
        string.Join(", ", parameters.Select(p =>
        {
            var context = new NullabilityInfoContext();
            var prefix =
                p.IsDefined(typeof(ParamArrayAttribute), false) ? "params " :
                !p.ParameterType.IsByRef ? "" :
                p.IsOut ? "out " :
                p.IsIn ? "in " :
                "ref ";
            var text = $"{prefix}{Name(p.ParameterType, context.Create(p))} {p.Name}";
            return p.HasDefaultValue ? $"{text} = {Literal(p.DefaultValue, p.ParameterType)}" : text;
        }));

    private static string Literal(object? value, Type type)
    {
        var valueType = Nullable.GetUnderlyingType(type) ?? type;
        return value switch
        {
            null => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
            string s => $"\"{s}\"",
            bool b => b ? "true" : "false",
            char c => $"'{c}'",
            _ when valueType.IsEnum => $"{Name(valueType, null)}.{Enum.ToObject(valueType, value)}",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    private static string ShortName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string Name(Type type, NullabilityInfo? nullability)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!, nullability);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, null) + "?";
        }

        var suffix = nullability is not null && !type.IsValueType &&
                     (nullability.ReadState == NullabilityState.Nullable || nullability.WriteState == NullabilityState.Nullable)
            ? "?"
            : "";
        if (type.IsArray)
        {
            return $"{Name(type.GetElementType()!, nullability?.ElementType)}[{new string(',', type.GetArrayRank() - 1)}]{suffix}";
        }

        if (type.IsGenericParameter)
        {
            return type.Name + suffix;
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + suffix;
        }

        var all = type.GetGenericArguments();
        var own = type.IsNested ? all.Length - type.DeclaringType!.GetGenericArguments().Length : all.Length;
        var arguments = all
            .Select((argument, i) => (argument, i))
            .Skip(all.Length - own)
            .Select(a => Name(a.argument, nullability is { GenericTypeArguments.Length: > 0 } n && a.i < n.GenericTypeArguments.Length ? n.GenericTypeArguments[a.i] : null))
            .ToList();
        if (type is { IsGenericType: true, Namespace: "System" } && type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal))
        {
            return $"({string.Join(", ", arguments)}){suffix}";
        }

        var outer = type.IsNested ? Name(type.DeclaringType!, null) : type.Namespace;
        var name = outer is null ? ShortName(type) : $"{outer}.{ShortName(type)}";
        return (arguments.Count == 0 ? name : $"{name}<{string.Join(", ", arguments)}>") + suffix;
    }
}
