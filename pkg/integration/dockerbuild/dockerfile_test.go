package dockerbuild

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// dockerfile is a Dockerfile read as BuildKit reads it.
type dockerfile struct {
	stages []stage
}

// stage is one build stage with what the checks need from it.
type stage struct {
	name string
	// image is the FROM image with the global ARGs' defaults expanded.
	image string
	// copies are its COPY and ADD instructions, paths as written, in the stage's WORKDIR.
	copies []copyInstr
	// steps are the tool commands its RUN instructions run (see toolStep), with their case arms.
	steps []runStep
	// env is what its ENV instructions set.
	env map[string]string
	// workdir is the stage's last WORKDIR ("/" when none).
	workdir string
}

type copyInstr struct {
	from    string // the stage copied from, "" for the build context
	sources []string
	dest    string
}

type runStep struct {
	step string
	arms []string
}

func loadDockerfile(p string) (*dockerfile, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var globals []string
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				globals = append(globals, kv.Key+"="+*kv.Value)
			}
		}
	}
	lex := shell.NewLex(res.EscapeToken)
	d := &dockerfile{}
	for _, s := range stages {
		image, _, err := lex.ProcessWord(s.BaseName, shell.EnvsFromSlice(globals))
		if err != nil {
			return nil, fmt.Errorf("%s: FROM %s: %w", p, s.BaseName, err)
		}
		st := stage{name: s.Name, image: image, env: map[string]string{}, workdir: "/"}
		for _, c := range s.Commands {
			switch c := c.(type) {
			case *instructions.WorkdirCommand:
				st.workdir = path.Join(st.workdir, c.Path)
				if path.IsAbs(c.Path) {
					st.workdir = path.Clean(c.Path)
				}
			case *instructions.CopyCommand:
				st.copies = append(st.copies, copyInstr{from: c.From, sources: c.SourcePaths, dest: c.DestPath})
			case *instructions.AddCommand:
				st.copies = append(st.copies, copyInstr{sources: c.SourcePaths, dest: c.DestPath})
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					st.env[kv.Key] = kv.Value
				}
			case *instructions.RunCommand:
				cmds, err := runCommands(c)
				if err != nil {
					return nil, fmt.Errorf("%s: RUN %s: %w", p, strings.Join(c.CmdLine, " "), err)
				}
				for _, cmd := range cmds {
					if s := toolStep(cmd.words); s != "" {
						st.steps = append(st.steps, runStep{step: s, arms: cmd.arms})
					}
				}
			}
		}
		d.stages = append(d.stages, st)
	}
	if len(d.stages) == 0 {
		return nil, fmt.Errorf("%s: no FROM", p)
	}
	return d, nil
}

// runCommands are the commands of a RUN: its shell script, or its exec-form words.
func runCommands(c *instructions.RunCommand) ([]command, error) {
	if !c.PrependShell {
		return []command{{words: c.CmdLine}}, nil
	}
	return shellCommands(strings.Join(c.CmdLine, " "))
}

// final is the stage the image is made of.
func (d *dockerfile) final() *stage { return &d.stages[len(d.stages)-1] }

// stageNamed is the build stage called name, or nil.
func (d *dockerfile) stageNamed(name string) *stage {
	for i := range d.stages {
		if strings.EqualFold(d.stages[i].name, name) {
			return &d.stages[i]
		}
	}
	return nil
}

// runs reports whether the stage runs step.
func (s *stage) runs(step string) bool {
	for _, r := range s.steps {
		if r.step == step {
			return true
		}
	}
	return false
}

// imageRef splits an image reference into repository and tag ("" when none).
func imageRef(ref string) (repository, tag string) {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[:i], ref[i+1:]
	}
	return ref, ""
}
