using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Wafer.Architecture.Tests;

/// <summary>
/// Reads built assemblies' metadata (no loading): the types an assembly makes visible to others, and the types of other
/// assemblies an assembly's code names (its type references, which every use of a type from elsewhere leaves behind).
/// Names are reflection's full names: <c>Namespace.Outer+Nested</c>, generics with their arity (<c>Name`1</c>).
/// </summary>
internal static class PublicSurface
{
    /// <summary>Every type <paramref name="assemblyFile"/> makes visible outside itself: public, nested only in public types.</summary>
    public static List<string> Visible(string assemblyFile)
    {
        using var pe = new PEReader(File.OpenRead(assemblyFile));
        var metadata = pe.GetMetadataReader();
        var visible = new List<string>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            if (IsVisible(metadata, handle))
            {
                visible.Add(FullName(metadata, handle));
            }
        }

        return visible;
    }

    /// <summary>The full names of the types of <paramref name="targetAssembly"/> that <paramref name="assemblyFile"/> names.</summary>
    public static HashSet<string> ReferencedIn(string assemblyFile, string targetAssembly)
    {
        using var pe = new PEReader(File.OpenRead(assemblyFile));
        var metadata = pe.GetMetadataReader();
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var (assembly, name) = Resolve(metadata, metadata.GetTypeReference(handle));
            if (string.Equals(assembly, targetAssembly, StringComparison.Ordinal))
            {
                referenced.Add(name);
            }
        }

        return referenced;
    }

    /// <summary>
    /// <paramref name="used"/> and every visible type of <paramref name="assembly"/> that their visible members, base types
    /// and interfaces name, and so on: a type another project uses can only show what is public, so what it shows stays public.
    /// </summary>
    public static HashSet<string> WithWhatTheyShow(Assembly assembly, IEnumerable<string> used)
    {
        var shown = new HashSet<string>(used, StringComparer.Ordinal);
        var pending = new Queue<string>(shown);
        while (pending.TryDequeue(out var name))
        {
            if (assembly.GetType(name) is not { } type)
            {
                continue;
            }

            foreach (var named in Shows(type).SelectMany(Unwrap))
            {
                if (named.Assembly == assembly && named.IsVisible && named.FullName is { } full && shown.Add(full))
                {
                    pending.Enqueue(full);
                }
            }
        }

        return shown;
    }

    private const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> Shows(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var each in type.GetInterfaces())
        {
            yield return each;
        }

        foreach (var member in type.GetMembers(Members))
        {
            IEnumerable<Type> named = member switch
            {
                MethodBase method when method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly =>
                    method.GetParameters().Select(p => p.ParameterType).Concat(method is MethodInfo m ? [m.ReturnType] : []),
                PropertyInfo property when property.GetMethod is { } get && (get.IsPublic || get.IsFamily || get.IsFamilyOrAssembly) => [property.PropertyType],
                FieldInfo field when field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly => [field.FieldType],
                EventInfo e when e.AddMethod is { IsPublic: true } && e.EventHandlerType is { } handler => [handler],
                _ => [],
            };
            foreach (var each in named)
            {
                yield return each;
            }
        }
    }

    /// <summary>A type and what it is made of: element types (arrays, by-refs, pointers) and generic arguments.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            return Unwrap(element);
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? [type.GetGenericTypeDefinition(), .. type.GetGenericArguments().SelectMany(Unwrap)]
            : [type];
    }

    private static bool IsVisible(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        return (type.Attributes & TypeAttributes.VisibilityMask) switch
        {
            TypeAttributes.Public => true,
            TypeAttributes.NestedPublic => IsVisible(metadata, type.GetDeclaringType()),
            _ => false,
        };
    }

    private static string FullName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var name = metadata.GetString(type.Name);
        var outer = type.GetDeclaringType();
        if (!outer.IsNil)
        {
            return $"{FullName(metadata, outer)}+{name}";
        }

        var ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }

    private static (string? Assembly, string Name) Resolve(MetadataReader metadata, TypeReference type)
    {
        var name = metadata.GetString(type.Name);
        var scope = type.ResolutionScope;
        switch (scope.Kind)
        {
            case HandleKind.AssemblyReference:
                var ns = metadata.GetString(type.Namespace);
                var assembly = metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
                return (assembly, ns.Length == 0 ? name : $"{ns}.{name}");
            case HandleKind.TypeReference:
                var (outerAssembly, outer) = Resolve(metadata, metadata.GetTypeReference((TypeReferenceHandle)scope));
                return (outerAssembly, $"{outer}+{name}");
            default:
                return (null, name);
        }
    }
}
