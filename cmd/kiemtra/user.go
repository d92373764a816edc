package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/store"
)

// runUser manages accounts from the command line: the first admin is made here.
func runUser(ctx context.Context, env *Env, args []string) error {
	usage := "add|passwd|disable|enable|list [flags] (the password is read from standard input)"
	fs := newFlagSet(env, "user", usage)
	if len(args) == 0 {
		fs.Usage()
		return errUsage
	}
	action := args[0]
	username := fs.String("username", "", "the user's login name")
	role := fs.String("role", "", "add: "+strings.Join(models.Roles, ", "))
	area := fs.String("area", "", "add: jurisdiction area code (the city's code for city-wide users)")
	agency := fs.String("agency", models.AgencyOther, "add: the code of an active agency (GET /api/v1/agencies), such as "+models.AgencyPolice+" or "+models.AgencyHealth)
	name := fs.String("display-name", "", "add: full name")
	team := fs.String("team", "", "add: team id")
	cfg, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	switch action {
	case "add", "passwd", "disable", "enable":
		*username = strings.ToLower(strings.TrimSpace(*username)) // usernames are stored lower-case
		if *username == "" {
			fmt.Fprintf(env.Stderr, "user %s: --username is required\n", action)
			return errUsage
		}
	case "list":
	default:
		fs.Usage()
		return errUsage
	}
	db, err := openStore(ctx, cfg, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	actorName := "cli:" + currentUser()
	switch action {
	case "list":
		us, err := db.FindUsers(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "USERNAME\tROLE\tAGENCY\tAREA\tDISABLED\tNAME")
		for _, u := range us {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%v\t%s\n", u.Username, u.Role, u.Agency, u.AreaCode, u.Disabled, u.DisplayName)
		}
		return w.Flush()
	case "disable", "enable":
		u, err := db.FindUserByUsername(ctx, *username)
		if err != nil {
			return err
		}
		off := action == "disable"
		if _, err := db.UpdateUser(ctx, actorName, u.ID, models.UserUpdate{Disabled: &off}, ""); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "user %s %sd\n", u.Username, action)
		return nil
	}
	// Checked before the password is read and hashed: a wrong flag or name fails at once.
	var u *models.User
	if action == "add" {
		u, err = checkNewUser(ctx, db, *username, *name, *role, *agency, *area, *team)
	} else {
		u, err = db.FindUserByUsername(ctx, *username)
	}
	if err != nil {
		return err
	}
	password, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := auth.CheckPasswordStrength(password, u.Username, u.DisplayName); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password, auth.DefaultPasswordParams)
	if err != nil {
		return err
	}
	if action == "passwd" {
		if _, err := db.UpdateUser(ctx, actorName, u.ID, models.UserUpdate{}, hash); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "password of %s changed; its sessions are ended\n", u.Username)
		return nil
	}
	u.PasswordHash = hash
	if err := db.CreateUser(ctx, actorName, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "user %s added (%s, %s)\n", u.Username, u.Role, u.AreaCode)
	return nil
}

// checkAgency checks that a new user may be given the agency code (models.CheckAgencyChoice);
// when it may not, the error lists the codes of the active agencies, since a terminal has no
// list to pick from.
func checkAgency(ctx context.Context, db *store.DB, code string) error {
	a, err := db.FindAgencyByCode(ctx, code)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		return err
	}
	bad := models.ErrorAs(models.CheckAgencyChoice("agency", code, a, ""))
	if bad == nil {
		return nil
	}
	all, err := db.FindAgencies(ctx)
	if err != nil {
		return err
	}
	var active []string
	for _, a := range all {
		if a.Active {
			active = append(active, a.Code)
		}
	}
	return models.Invalid("agency", "%[1]s; active agencies: %[3]s", "%[2]s; các cơ quan đang hoạt động: %[3]s", bad.Message, bad.MessageVI, strings.Join(active, ", "))
}

// checkNewUser checks the flags of `user add` as the API checks POST /users: the username's form
// (models.CheckUsername), a known role and agency, an area that exists, and a team that exists and
// whose area the user's jurisdiction covers (or the user could not open its own team's tasks).
func checkNewUser(ctx context.Context, db *store.DB, username, name, role, agency, area, team string) (*models.User, error) {
	var v models.Validation
	if err := models.CheckUsername(username); err != nil {
		v.AddError(err)
	}
	if !models.ValidRole(role) {
		v.Add("role", "must be one of %s", "phải là một trong %s", strings.Join(models.Roles, ", "))
	}
	if err := checkAgency(ctx, db, agency); err != nil {
		if !models.IsCode(err, models.EINVALID) {
			return nil, err
		}
		v.AddError(err)
	}
	a, err := db.FindAreaByCode(ctx, area)
	if err != nil {
		if !models.IsCode(err, models.ENOTFOUND) {
			return nil, err
		}
		v.Add("area", "unknown area %q: import the areas first", "không có khu vực %q: hãy nhập danh mục khu vực trước", area)
	}
	// Without --display-name the account is known by its username.
	if name = strings.TrimSpace(name); name == "" {
		name = username
	}
	if err := models.CheckDisplayName(name); err != nil {
		v.AddError(err)
	}
	u := &models.User{Username: username, DisplayName: name, Agency: agency, Role: role, AreaCode: area}
	if team != "" {
		t, err := db.FindTeamByID(ctx, team)
		switch {
		case models.IsCode(err, models.ENOTFOUND):
			v.Add("team", "unknown team %q: give the team's id", "không có tổ %q: hãy nhập mã (id) của tổ", team)
		case err != nil:
			return nil, err
		default:
			ta, err := db.FindAreaByCode(ctx, t.AreaCode)
			if err != nil {
				return nil, err
			}
			if a != nil && !models.PathContains(a.Path, ta.Path) {
				v.Add("team", "the area %s does not cover the area %s of team %q: a member could not open its team's tasks",
					"khu vực %s không bao gồm địa bàn %s của tổ %q: thành viên sẽ không mở được nhiệm vụ của tổ", area, t.AreaCode, t.Name)
			}
			u.TeamID = &t.ID
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return u, nil
}

// readPassword reads the first line of standard input, so that passwords stay out of the shell
// history and the process list.
func readPassword(env *Env) (string, error) {
	if env.Stdin == nil {
		return "", fmt.Errorf("give the password on standard input")
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
