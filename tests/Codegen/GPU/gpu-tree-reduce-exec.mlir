// mlc-gpu-tree-reduce's kernels run on the host by mlc-gpu-launch-to-loops, against the same
// reductions computed by plain loops: a full sum, row maxima with an elementwise side result and
// a folded fill, column sums onto existing values, and a row sum fused with a "last match"
// select (a cross-entropy's label pick). No size is a multiple of the thread layout. The inputs
// are small integers, so every f32 sum is exact and the results must match bit for bit.
// RUN: mlc-opt %s --pass-pipeline="builtin.module(func.func(mlc-gpu-tree-reduce, mlc-gpu-launch-to-loops), convert-vector-to-llvm, convert-scf-to-cf, finalize-memref-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s
// The full sum of 0..999 read transposed onto 0.5, minus 499000 (vector.print shows six digits).
// CHECK: 500.5
// Mismatching elements: row maxima, the elementwise side result, column sums, picks, row sums.
// CHECK-NEXT: 0
// CHECK-NEXT: 0
// CHECK-NEXT: 0
// CHECK-NEXT: 0
// CHECK-NEXT: 0
// Rows in which the x > 9 pick found nothing (and kept the output's -1): both cases are run.
// CHECK-NEXT: 3

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>

func.func @sum(%x: memref<40x25xf32>, %s: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<40x25xf32>) outs(%s : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %acc, %a : f32
    linalg.yield %t : f32
  }
  return
}

func.func @row_max(%x: memref<37x10xf32>, %y: memref<37x10xf32>, %m: memref<37xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %two = arith.constant 2.0 : f32
  linalg.fill ins(%ninf : f32) outs(%m : memref<37xf32>)
  linalg.generic {indexing_maps = [#id2, #id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<37x10xf32>) outs(%y, %m : memref<37x10xf32>, memref<37xf32>) {
  ^bb0(%a: f32, %unused: f32, %acc: f32):
    %d = arith.mulf %a, %two : f32
    %t = arith.maximumf %a, %acc : f32
    linalg.yield %d, %t : f32, f32
  }
  return
}

func.func @column_sum(%x: memref<45x70xf32>, %s: memref<70xf32>) {
  linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<45x70xf32>) outs(%s : memref<70xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %a, %acc : f32
    linalg.yield %t : f32
  }
  return
}

// p[i] = x[i][j] + 100 j for the last j with x[i][j] > 7 (several j in most rows), else p[i]
// unchanged; q[i] likewise for x[i][j] > 9 (none in some rows); e[i] = sum_j x[i][j].
func.func @pick(%x: memref<37x10xf32>, %e: memref<37xf32>, %p: memref<37xf32>, %q: memref<37xf32>) {
  %seven = arith.constant 7.0 : f32
  %nine = arith.constant 9.0 : f32
  %hundred = arith.constant 100.0 : f32
  linalg.generic {indexing_maps = [#id2, #row, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<37x10xf32>) outs(%e, %p, %q : memref<37xf32>, memref<37xf32>, memref<37xf32>) {
  ^bb0(%a: f32, %sum: f32, %picked: f32, %picked9: f32):
    %s = arith.addf %sum, %a : f32
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i32
    %jf = arith.sitofp %ji : i32 to f32
    %off = arith.mulf %jf, %hundred : f32
    %v = arith.addf %a, %off : f32
    %big = arith.cmpf ogt, %a, %seven : f32
    %r = arith.select %big, %v, %picked : f32
    %big9 = arith.cmpf ogt, %a, %nine : f32
    %r9 = arith.select %big9, %v, %picked9 : f32
    linalg.yield %s, %r, %r9 : f32, f32, f32
  }
  return
}

// Counts the elements where a and b differ.
func.func @mismatches(%a: memref<?xf32>, %b: memref<?xf32>) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %n = memref.dim %a, %c0 : memref<?xf32>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%k = %z) -> i32 {
    %u = memref.load %a[%i] : memref<?xf32>
    %v = memref.load %b[%i] : memref<?xf32>
    %ne = arith.cmpf une, %u, %v : f32
    %inc = arith.select %ne, %one, %z : i32
    %k2 = arith.addi %k, %inc : i32
    scf.yield %k2 : i32
  }
  return %r : i32
}

// x[i][j] = (i * 7 + j * 3) mod 11 as f32.
func.func @fill_pattern(%x: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  %c11 = arith.constant 11 : index
  %rows = memref.dim %x, %c0 : memref<?x?xf32>
  %cols = memref.dim %x, %c1 : memref<?x?xf32>
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c1 {
      %a = arith.muli %i, %c7 : index
      %b = arith.muli %j, %c3 : index
      %s = arith.addi %a, %b : index
      %m = arith.remui %s, %c11 : index
      %mi = arith.index_cast %m : index to i32
      %v = arith.sitofp %mi : i32 to f32
      memref.store %v, %x[%i, %j] : memref<?x?xf32>
    }
  }
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c25 = arith.constant 25 : index
  %c37 = arith.constant 37 : index
  %c40 = arith.constant 40 : index
  %c45 = arith.constant 45 : index
  %c70 = arith.constant 70 : index
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %minus1 = arith.constant -1.0 : f32
  %two = arith.constant 2.0 : f32
  %eight = arith.constant 8.0 : f32
  %hundred = arith.constant 100.0 : f32
  %none = arith.constant 0 : i32
  %one = arith.constant 1 : i32

  // The full sum.
  %x = memref.alloc() : memref<40x25xf32>
  %s = memref.alloc() : memref<f32>
  scf.for %i = %c0 to %c40 step %c1 {
    scf.for %j = %c0 to %c25 step %c1 {
      %row = arith.muli %i, %c25 : index
      %lin = arith.addi %row, %j : index
      %li = arith.index_cast %lin : index to i32
      %v = arith.sitofp %li : i32 to f32
      memref.store %v, %x[%i, %j] : memref<40x25xf32>
    }
  }
  memref.store %half, %s[] : memref<f32>
  func.call @sum(%x, %s) : (memref<40x25xf32>, memref<f32>) -> ()
  %r = memref.load %s[] : memref<f32>
  %base = arith.constant 499000.0 : f32
  %d = arith.subf %r, %base : f32
  vector.print %d : f32

  // Row maxima and the doubled input.
  %a = memref.alloc() : memref<37x10xf32>
  %ad = memref.cast %a : memref<37x10xf32> to memref<?x?xf32>
  func.call @fill_pattern(%ad) : (memref<?x?xf32>) -> ()
  %y = memref.alloc() : memref<37x10xf32>
  %m = memref.alloc() : memref<37xf32>
  func.call @row_max(%a, %y, %m) : (memref<37x10xf32>, memref<37x10xf32>, memref<37xf32>) -> ()
  %mref = memref.alloc() : memref<37xf32>
  %y2 = memref.alloc() : memref<37x10xf32>
  scf.for %i = %c0 to %c37 step %c1 {
    %mx = scf.for %j = %c0 to %c10 step %c1 iter_args(%acc = %ninf) -> f32 {
      %v = memref.load %a[%i, %j] : memref<37x10xf32>
      %dv = arith.mulf %v, %two : f32
      memref.store %dv, %y2[%i, %j] : memref<37x10xf32>
      %t = arith.maximumf %v, %acc : f32
      scf.yield %t : f32
    }
    memref.store %mx, %mref[%i] : memref<37xf32>
  }
  %md = memref.cast %m : memref<37xf32> to memref<?xf32>
  %mrefd = memref.cast %mref : memref<37xf32> to memref<?xf32>
  %k1 = func.call @mismatches(%md, %mrefd) : (memref<?xf32>, memref<?xf32>) -> i32
  vector.print %k1 : i32
  %k2 = scf.for %i = %c0 to %c37 step %c1 iter_args(%cnt = %none) -> i32 {
    %row = scf.for %j = %c0 to %c10 step %c1 iter_args(%c = %cnt) -> i32 {
      %u = memref.load %y[%i, %j] : memref<37x10xf32>
      %v = memref.load %y2[%i, %j] : memref<37x10xf32>
      %ne = arith.cmpf une, %u, %v : f32
      %inc = arith.select %ne, %one, %none : i32
      %c2 = arith.addi %c, %inc : i32
      scf.yield %c2 : i32
    }
    scf.yield %row : i32
  }
  vector.print %k2 : i32

  // Column sums onto 0.5.
  %b = memref.alloc() : memref<45x70xf32>
  %bd = memref.cast %b : memref<45x70xf32> to memref<?x?xf32>
  func.call @fill_pattern(%bd) : (memref<?x?xf32>) -> ()
  %cs = memref.alloc() : memref<70xf32>
  %csref = memref.alloc() : memref<70xf32>
  scf.for %j = %c0 to %c70 step %c1 {
    memref.store %half, %cs[%j] : memref<70xf32>
    %t = scf.for %i = %c0 to %c45 step %c1 iter_args(%acc = %half) -> f32 {
      %v = memref.load %b[%i, %j] : memref<45x70xf32>
      %n = arith.addf %acc, %v : f32
      scf.yield %n : f32
    }
    memref.store %t, %csref[%j] : memref<70xf32>
  }
  func.call @column_sum(%b, %cs) : (memref<45x70xf32>, memref<70xf32>) -> ()
  %csd = memref.cast %cs : memref<70xf32> to memref<?xf32>
  %csrefd = memref.cast %csref : memref<70xf32> to memref<?xf32>
  %k3 = func.call @mismatches(%csd, %csrefd) : (memref<?xf32>, memref<?xf32>) -> i32
  vector.print %k3 : i32

  // Row sums fused with the last-match picks, all outputs starting at -1.
  %e = memref.alloc() : memref<37xf32>
  %p = memref.alloc() : memref<37xf32>
  %q = memref.alloc() : memref<37xf32>
  %eref = memref.alloc() : memref<37xf32>
  %pref = memref.alloc() : memref<37xf32>
  %qref = memref.alloc() : memref<37xf32>
  %nine = arith.constant 9.0 : f32
  %seven = arith.constant 7.0 : f32
  %misses = scf.for %i = %c0 to %c37 step %c1 iter_args(%cnt = %none) -> i32 {
    memref.store %minus1, %e[%i] : memref<37xf32>
    memref.store %minus1, %p[%i] : memref<37xf32>
    memref.store %minus1, %q[%i] : memref<37xf32>
    %res:3 = scf.for %j = %c0 to %c10 step %c1 iter_args(%sum = %minus1, %pk = %minus1, %qk = %minus1) -> (f32, f32, f32) {
      %v = memref.load %a[%i, %j] : memref<37x10xf32>
      %ns = arith.addf %sum, %v : f32
      %ji = arith.index_cast %j : index to i32
      %jf = arith.sitofp %ji : i32 to f32
      %off = arith.mulf %jf, %hundred : f32
      %cand = arith.addf %v, %off : f32
      %big = arith.cmpf ogt, %v, %seven : f32
      %np = arith.select %big, %cand, %pk : f32
      %big9 = arith.cmpf ogt, %v, %nine : f32
      %nq = arith.select %big9, %cand, %qk : f32
      scf.yield %ns, %np, %nq : f32, f32, f32
    }
    memref.store %res#0, %eref[%i] : memref<37xf32>
    memref.store %res#1, %pref[%i] : memref<37xf32>
    memref.store %res#2, %qref[%i] : memref<37xf32>
    %missed = arith.cmpf oeq, %res#2, %minus1 : f32
    %inc = arith.select %missed, %one, %none : i32
    %cnt2 = arith.addi %cnt, %inc : i32
    scf.yield %cnt2 : i32
  }
  func.call @pick(%a, %e, %p, %q) : (memref<37x10xf32>, memref<37xf32>, memref<37xf32>, memref<37xf32>) -> ()
  %pd = memref.cast %p : memref<37xf32> to memref<?xf32>
  %prefd = memref.cast %pref : memref<37xf32> to memref<?xf32>
  %qd = memref.cast %q : memref<37xf32> to memref<?xf32>
  %qrefd = memref.cast %qref : memref<37xf32> to memref<?xf32>
  %kp = func.call @mismatches(%pd, %prefd) : (memref<?xf32>, memref<?xf32>) -> i32
  %kq = func.call @mismatches(%qd, %qrefd) : (memref<?xf32>, memref<?xf32>) -> i32
  %k4 = arith.addi %kp, %kq : i32
  vector.print %k4 : i32
  %ed = memref.cast %e : memref<37xf32> to memref<?xf32>
  %erefd = memref.cast %eref : memref<37xf32> to memref<?xf32>
  %k5 = func.call @mismatches(%ed, %erefd) : (memref<?xf32>, memref<?xf32>) -> i32
  vector.print %k5 : i32
  vector.print %misses : i32
  return
}
